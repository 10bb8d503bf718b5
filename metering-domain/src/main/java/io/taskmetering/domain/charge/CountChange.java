package io.taskmetering.domain.charge;

import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.CapPeriod;

import java.util.Objects;

/**
 * A change the caller applies to its counters: {@code delta} to one hour's quantity and, by the same amount, to its
 * subscription's hour and day cap counters (they count the charges admitted there).
 */
public record CountChange(BucketKey bucket, int delta) {
    public CountChange {
        Objects.requireNonNull(bucket, "bucket");
        if (delta != 1 && delta != -1) {
            throw new IllegalArgumentException("a count changes by 1 or -1, not " + delta);
        }
    }

    public CapPeriod hourPeriod() {
        return CapPeriod.hourOf(bucket.subscription(), bucket.hour());
    }

    public CapPeriod dayPeriod() {
        return CapPeriod.dayOf(bucket.subscription(), bucket.hour());
    }
}
