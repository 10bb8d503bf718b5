package io.taskmetering.application.port.out;

import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.HourBucket;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.SubscriptionRef;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Per-(subscription, dimension, hour) counters, changed in the same transaction as the charges they count, so closing
 * an hour reads one row however many charges it holds.
 */
public interface HourBucketPort {
    /**
     * Locks the buckets for the rest of the transaction (row locks, taken in key order), creating missing ones as
     * open with quantity 0 and the given plan. A close and an insert on the same bucket therefore never interleave.
     */
    Map<BucketKey, LockedBucket> lockBuckets(SortedMap<BucketKey, PlanId> keys);

    /** Writes quantities and closed flags of buckets locked in this transaction. */
    void saveBuckets(Collection<HourBucket> buckets);

    /** Open buckets whose hour is at or before {@code newestClosedHour}, oldest first. */
    List<BucketKey> findOpenBucketsUpTo(BillingHour newestClosedHour, int limit);

    /**
     * The newest hour whose bucket is closed, of {@code subscription} (any dimension) or, when it is null, of any
     * subscription.
     */
    Optional<BillingHour> findLastClosedHour(SubscriptionRef subscription);

    /** A bucket with the plan its usage event will carry. */
    record LockedBucket(HourBucket bucket, PlanId planId) {
    }
}
