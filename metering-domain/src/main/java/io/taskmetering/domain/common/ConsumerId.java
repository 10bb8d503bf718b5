package io.taskmetering.domain.common;

/** Identifier `consumer_id`: non-blank, at most {@link Require#MAX_ID_LENGTH} characters, no control characters. */
public record ConsumerId(String value) implements Comparable<ConsumerId> {
    public ConsumerId {
        Require.id("consumer_id", value);
    }

    public static ConsumerId of(String value) {
        return new ConsumerId(value);
    }

    @Override
    public int compareTo(ConsumerId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
