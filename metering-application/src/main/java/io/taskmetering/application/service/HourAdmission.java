package io.taskmetering.application.service;

import io.taskmetering.application.port.out.CapCounterPort;
import io.taskmetering.application.port.out.HourBucketPort;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.CapLimits;
import io.taskmetering.domain.billing.CapPeriod;
import io.taskmetering.domain.billing.CapVerdict;
import io.taskmetering.domain.billing.GuardrailCaps;
import io.taskmetering.domain.billing.HourAttribution;
import io.taskmetering.domain.billing.HourBucket;
import io.taskmetering.domain.billing.HourPolicy;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.SubscriptionRef;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Counts charges into hour buckets and cap counters inside one transaction. Rows are locked before they are read
 * (all known ones up front, in key order), changed in memory and written once by {@link #flush()}, so a batch of
 * a thousand charges in one hour costs one lock and one write, and a concurrent hour close can never interleave.
 * Used only inside a {@code UnitOfWork}; one instance per transaction.
 */
final class HourAdmission {
    private final HourBucketPort buckets;
    private final CapCounterPort capCounters;
    private final HourPolicy hours;
    private final GuardrailCaps caps;
    private final PlanId defaultPlan;
    private final Instant now;

    private final Map<BucketKey, HourBucket> lockedBuckets = new HashMap<>();
    private final Map<CapPeriod, Long> lockedCounters = new HashMap<>();
    private final Set<BucketKey> changedBuckets = new HashSet<>();
    private final Set<CapPeriod> changedCounters = new HashSet<>();

    HourAdmission(HourBucketPort buckets, CapCounterPort capCounters, HourPolicy hours, GuardrailCaps caps,
                  PlanId defaultPlan, Instant now) {
        this.buckets = buckets;
        this.capCounters = capCounters;
        this.hours = hours;
        this.caps = caps;
        this.defaultPlan = defaultPlan;
        this.now = now;
    }

    /** What admitting one charge came to. */
    sealed interface Admission {
        /** Counted in {@code attribution}'s hour (its own, or a later one if its own had closed). */
        record Counted(HourAttribution attribution) implements Admission {
        }

        /** Over a cap: not counted; to be held for review. */
        record OverCap(HourAttribution attribution, CapVerdict.OverCap verdict) implements Admission {
        }
    }

    /** Locks, in one ordered round trip each, every bucket and cap counter these hours will touch. */
    void lockUpFront(SortedMap<BucketKey, PlanId> keys) {
        SortedMap<BucketKey, PlanId> missing = new TreeMap<>();
        keys.forEach((key, plan) -> {
            if (!lockedBuckets.containsKey(key)) {
                missing.put(key, plan);
            }
        });
        if (!missing.isEmpty()) {
            buckets.lockBuckets(missing).forEach((key, locked) -> lockedBuckets.put(key, locked.bucket()));
        }
        TreeSet<CapPeriod> periods = new TreeSet<>();
        for (BucketKey key : keys.keySet()) {
            periods.add(CapPeriod.hourOf(key.subscription(), key.hour()));
            periods.add(CapPeriod.dayOf(key.subscription(), key.hour()));
        }
        periods.removeAll(lockedCounters.keySet());
        if (!periods.isEmpty()) {
            Map<CapPeriod, Long> counts = capCounters.lockCapCounters(periods);
            for (CapPeriod period : periods) {
                lockedCounters.put(period, counts.getOrDefault(period, 0L));
            }
        }
    }

    /**
     * Counts one charge meant for {@code wanted}: into that hour while it is open, else into the oldest open hour
     * (late). With {@code enforceCaps}, a charge that would break a cap is not counted and the breach returned.
     */
    Admission admit(SubscriptionRef subscription, Dimension dimension, HourAttribution wanted, PlanId plan,
                    boolean enforceCaps) {
        HourAttribution attribution = place(subscription, dimension, wanted, plan);
        BucketKey key = new BucketKey(subscription, dimension, attribution.hour());
        CapPeriod hourPeriod = CapPeriod.hourOf(subscription, attribution.hour());
        CapPeriod dayPeriod = CapPeriod.dayOf(subscription, attribution.hour());
        if (enforceCaps) {
            CapLimits limits = caps.limitsFor(subscription);
            CapVerdict verdict = limits.check(lockedCounters.get(hourPeriod), lockedCounters.get(dayPeriod));
            if (verdict instanceof CapVerdict.OverCap overCap) {
                return new Admission.OverCap(attribution, overCap);
            }
        }
        lockedBuckets.put(key, lockedBuckets.get(key).add(1));
        changedBuckets.add(key);
        increment(hourPeriod);
        increment(dayPeriod);
        return new Admission.Counted(attribution);
    }

    /**
     * Takes a counted charge out of its hour if that hour is still open, and out of the hour's and day's cap counters
     * (they count the charges admitted there, and an upheld dispute admits it again). Returns false when the hour has
     * closed: its quantity is fixed and the charge stays in it.
     */
    boolean release(BucketKey key) {
        lock(key, defaultPlan);
        HourBucket bucket = lockedBuckets.get(key);
        if (bucket.closed()) {
            return false;
        }
        lockedBuckets.put(key, bucket.add(-1));
        changedBuckets.add(key);
        decrement(CapPeriod.hourOf(key.subscription(), key.hour()));
        decrement(CapPeriod.dayOf(key.subscription(), key.hour()));
        return true;
    }

    /** Whether the bucket is closed (its usage event is fixed). */
    boolean isClosed(BucketKey key) {
        lock(key, defaultPlan);
        return lockedBuckets.get(key).closed();
    }

    /** Writes every changed bucket and counter. */
    void flush() {
        if (!changedBuckets.isEmpty()) {
            buckets.saveBuckets(changedBuckets.stream().map(lockedBuckets::get).toList());
        }
        if (!changedCounters.isEmpty()) {
            Map<CapPeriod, Long> counts = new HashMap<>();
            changedCounters.forEach(period -> counts.put(period, lockedCounters.get(period)));
            capCounters.saveCapCounters(counts);
        }
        changedBuckets.clear();
        changedCounters.clear();
    }

    private HourAttribution place(SubscriptionRef subscription, Dimension dimension, HourAttribution wanted, PlanId plan) {
        return hours.place(wanted, hour -> {
            BucketKey key = new BucketKey(subscription, dimension, hour);
            lock(key, plan);
            return lockedBuckets.get(key).closed();
        }, now);
    }

    private void lock(BucketKey key, PlanId plan) {
        if (!lockedBuckets.containsKey(key)) {
            SortedMap<BucketKey, PlanId> one = new TreeMap<>();
            one.put(key, plan == null ? defaultPlan : plan);
            lockUpFront(one);
        }
    }

    private void increment(CapPeriod period) {
        lockedCounters.merge(period, 1L, Long::sum);
        changedCounters.add(period);
    }

    private void decrement(CapPeriod period) {
        // Defensive: a cap counter never goes below 0.
        lockedCounters.put(period, Math.max(0, lockedCounters.get(period) - 1));
        changedCounters.add(period);
    }
}
