package io.taskmetering.application.service;

import io.taskmetering.application.port.out.CapCounterPort;
import io.taskmetering.application.port.out.HourBucketPort;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.CapPeriod;
import io.taskmetering.domain.billing.HourBucket;
import io.taskmetering.domain.charge.ChargingRules;
import io.taskmetering.domain.charge.CountChange;
import io.taskmetering.domain.common.PlanId;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Locks, caches and writes the hour buckets and cap counters of one transaction; what to count is decided by the
 * domain's {@link ChargingRules}, which read these counters through {@link #counts} and whose count changes are
 * applied here. Rows are locked before they are read (all known ones up front, in key order), changed in memory and
 * written once by {@link #flush()}, so a batch of a thousand charges in one hour costs one lock and one write, and a
 * concurrent hour close can never interleave.
 * Used only inside a {@code UnitOfWork}; one instance per transaction.
 */
final class HourAdmission {
    private final HourBucketPort buckets;
    private final CapCounterPort capCounters;

    private final Map<BucketKey, HourBucket> lockedBuckets = new HashMap<>();
    private final Map<CapPeriod, Long> lockedCounters = new HashMap<>();
    private final Set<BucketKey> changedBuckets = new HashSet<>();
    private final Set<CapPeriod> changedCounters = new HashSet<>();

    HourAdmission(HourBucketPort buckets, CapCounterPort capCounters) {
        this.buckets = buckets;
        this.capCounters = capCounters;
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
     * These counters as the charging rules read them. A bucket read here is locked first (created, if missing, with the
     * plan {@code plan} names), so what the rules decide on stays true until the transaction ends.
     */
    ChargingRules.Counts counts(Supplier<PlanId> plan) {
        return new ChargingRules.Counts() {
            @Override
            public boolean closed(BucketKey bucket) {
                lock(bucket, plan);
                return lockedBuckets.get(bucket).closed();
            }

            @Override
            public long admitted(CapPeriod period) {
                Long count = lockedCounters.get(period);
                if (count == null) {
                    throw new IllegalStateException("cap counter " + period + " read before its bucket was locked");
                }
                return count;
            }
        };
    }

    /**
     * Applies the count changes the domain decided: to the hour's bucket, which must be open, and to its hour and
     * day cap counters (they count the charges admitted there; an upheld dispute admits a charge again).
     */
    void apply(List<CountChange> changes, Supplier<PlanId> plan) {
        for (CountChange change : changes) {
            lock(change.bucket(), plan);
            lockedBuckets.put(change.bucket(), lockedBuckets.get(change.bucket()).add(change.delta()));
            changedBuckets.add(change.bucket());
            add(change.hourPeriod(), change.delta());
            add(change.dayPeriod(), change.delta());
        }
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

    private void lock(BucketKey key, Supplier<PlanId> plan) {
        if (!lockedBuckets.containsKey(key)) {
            SortedMap<BucketKey, PlanId> one = new TreeMap<>();
            one.put(key, plan.get());
            lockUpFront(one);
        }
    }

    private void add(CapPeriod period, int delta) {
        // Defensive: a cap counter never goes below 0.
        lockedCounters.put(period, Math.max(0, lockedCounters.get(period) + delta));
        changedCounters.add(period);
    }
}
