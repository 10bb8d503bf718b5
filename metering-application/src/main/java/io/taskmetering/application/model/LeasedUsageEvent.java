package io.taskmetering.application.model;

import io.taskmetering.domain.billing.BucketKey;

import java.time.Instant;
import java.util.Objects;

/** A pending hour another worker has claimed: it is in flight there until {@code leaseUntil}. */
public record LeasedUsageEvent(BucketKey key, String claimedBy, Instant leaseUntil) {
    public LeasedUsageEvent {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(claimedBy, "claimedBy");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
    }
}
