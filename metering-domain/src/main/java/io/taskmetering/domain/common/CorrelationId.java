package io.taskmetering.domain.common;

/** Identifier `correlation_id`: non-blank, at most {@link Require#MAX_ID_LENGTH} characters, no control characters. */
public record CorrelationId(String value) implements Comparable<CorrelationId> {
    public CorrelationId {
        Require.id("correlation_id", value);
    }

    public static CorrelationId of(String value) {
        return new CorrelationId(value);
    }

    @Override
    public int compareTo(CorrelationId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
