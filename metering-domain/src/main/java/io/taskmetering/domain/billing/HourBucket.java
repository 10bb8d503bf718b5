package io.taskmetering.domain.billing;

import io.taskmetering.domain.common.DomainException;

import java.util.Objects;

/**
 * The running count of QUALIFIED charges in one (subscription, dimension, hour), kept next to the charges so that
 * closing an hour reads one counter instead of counting rows. A closed bucket refuses new charges.
 */
public record HourBucket(BucketKey key, long quantity, boolean closed) {
    public HourBucket {
        Objects.requireNonNull(key, "key");
        if (quantity < 0) {
            throw new IllegalArgumentException("quantity must not be negative: " + quantity);
        }
    }

    public static HourBucket open(BucketKey key) {
        return new HourBucket(key, 0, false);
    }

    /** Adds (or, for a released charge, removes) charges; only an open bucket changes. */
    public HourBucket add(long delta) {
        if (closed) {
            throw new DomainException("hour " + key + " is closed; its quantity is fixed");
        }
        return new HourBucket(key, Math.addExact(quantity, delta), false);
    }

    public HourBucket close() {
        return new HourBucket(key, quantity, true);
    }
}
