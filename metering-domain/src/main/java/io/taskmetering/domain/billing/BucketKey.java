package io.taskmetering.domain.billing;

import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.SubscriptionRef;

import java.util.Comparator;
import java.util.Objects;

/** One usage event's key: subscription, dimension and UTC hour. The Marketplace accepts one event per key, ever. */
public record BucketKey(SubscriptionRef subscription, Dimension dimension, BillingHour hour) implements Comparable<BucketKey> {
    private static final Comparator<BucketKey> ORDER = Comparator.comparing(BucketKey::subscription)
            .thenComparing(BucketKey::dimension)
            .thenComparing(BucketKey::hour);

    public BucketKey {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(dimension, "dimension");
        Objects.requireNonNull(hour, "hour");
    }

    /** A total order, so that locks on several buckets are always taken in the same order (no deadlocks). */
    @Override
    public int compareTo(BucketKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return subscription + "/" + dimension + "/" + hour;
    }
}
