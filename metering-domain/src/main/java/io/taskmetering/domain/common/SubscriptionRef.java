package io.taskmetering.domain.common;

/** Identifier `subscription_ref`: non-blank, at most {@link Require#MAX_ID_LENGTH} characters, no control characters. */
public record SubscriptionRef(String value) implements Comparable<SubscriptionRef> {
    public SubscriptionRef {
        Require.id("subscription_ref", value);
    }

    public static SubscriptionRef of(String value) {
        return new SubscriptionRef(value);
    }

    @Override
    public int compareTo(SubscriptionRef other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
