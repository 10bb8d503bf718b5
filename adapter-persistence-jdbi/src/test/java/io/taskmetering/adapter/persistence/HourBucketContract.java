package io.taskmetering.adapter.persistence;

import io.taskmetering.application.port.out.HourBucketPort.LockedBucket;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.CapPeriod;
import io.taskmetering.domain.billing.HourBucket;
import io.taskmetering.domain.common.PlanId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.taskmetering.adapter.persistence.Fixtures.HOUR;
import static io.taskmetering.adapter.persistence.Fixtures.PLAN;
import static io.taskmetering.adapter.persistence.Fixtures.SUB;
import static io.taskmetering.adapter.persistence.Fixtures.SUB2;
import static io.taskmetering.adapter.persistence.Fixtures.bucket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HourBucketPort + CapCounterPort. */
abstract class HourBucketContract extends StoreContract {

    private static TreeMap<BucketKey, PlanId> keys(BucketKey... keys) {
        TreeMap<BucketKey, PlanId> map = new TreeMap<>();
        for (BucketKey key : keys) {
            map.put(key, PLAN);
        }
        return map;
    }

    @Test
    void lockingCreatesMissingBucketsOpenAndReadsExistingOnes() {
        BucketKey a = bucket(SUB, HOUR);
        BucketKey b = bucket(SUB2, HOUR.next());
        ports.unitOfWork().run(() -> {
            Map<BucketKey, LockedBucket> locked = ports.hourBuckets().lockBuckets(keys(a, b));
            assertThat(locked.get(a)).isEqualTo(new LockedBucket(HourBucket.open(a), PLAN));
            ports.hourBuckets().saveBuckets(List.of(locked.get(a).bucket().add(7), locked.get(b).bucket().add(2).close()));
        });
        TreeMap<BucketKey, PlanId> other = new TreeMap<>();
        other.put(a, new PlanId("another-plan")); // the plan of an existing bucket is kept
        Map<BucketKey, LockedBucket> again = ports.unitOfWork().inTransaction(() -> ports.hourBuckets().lockBuckets(other));
        assertThat(again.get(a)).isEqualTo(new LockedBucket(new HourBucket(a, 7, false), PLAN));
        assertThat(ports.unitOfWork().inTransaction(() -> ports.hourBuckets().lockBuckets(keys(b))).get(b).bucket())
                .isEqualTo(new HourBucket(b, 2, true));
        store.sqlCount("SELECT COUNT(*) FROM hour_buckets WHERE closed = TRUE AND closed_at_us IS NOT NULL")
                .ifPresent(closedWithTime -> assertThat(closedWithTime).isEqualTo(1));
    }

    @Test
    void findsOpenBucketsUpToAnHourOldestFirst() {
        BucketKey old1 = bucket(SUB2, HOUR.previous());
        BucketKey old2 = bucket(SUB, HOUR);
        BucketKey closed = bucket(SUB, HOUR.previous());
        BucketKey future = bucket(SUB, HOUR.next());
        ports.unitOfWork().run(() -> {
            var locked = ports.hourBuckets().lockBuckets(keys(old1, old2, closed, future));
            ports.hourBuckets().saveBuckets(List.of(locked.get(closed).bucket().close()));
        });
        assertThat(ports.hourBuckets().findOpenBucketsUpTo(HOUR, 10)).containsExactly(old1, old2);
        assertThat(ports.hourBuckets().findOpenBucketsUpTo(HOUR, 1)).containsExactly(old1);
    }

    @Test
    void savingABucketThatWasNeverLockedFails() {
        assertThatThrownBy(() -> ports.unitOfWork().run(() ->
                ports.hourBuckets().saveBuckets(List.of(HourBucket.open(bucket(SUB, HOUR)).add(1)))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void capCountersStartAtZeroAndKeepTheirCounts() {
        CapPeriod hour = CapPeriod.hourOf(SUB, HOUR);
        CapPeriod day = CapPeriod.dayOf(SUB, HOUR);
        ports.unitOfWork().run(() -> {
            var counts = ports.capCounters().lockCapCounters(new TreeSet<>(List.of(hour, day)));
            assertThat(counts).containsEntry(hour, 0L).containsEntry(day, 0L);
            ports.capCounters().saveCapCounters(Map.of(hour, 3L, day, 40L));
        });
        var counts = ports.unitOfWork().inTransaction(() -> ports.capCounters().lockCapCounters(new TreeSet<>(List.of(day, hour))));
        assertThat(counts).containsEntry(hour, 3L).containsEntry(day, 40L);
    }

    @Test
    void aLockedBucketMakesOthersWaitUntilCommit() throws Exception {
        BucketKey key = bucket(SUB, HOUR);
        ports.unitOfWork().run(() -> ports.hourBuckets().lockBuckets(keys(key)));
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> holder = pool.submit(() -> ports.unitOfWork().run(() -> {
                var bucket = ports.hourBuckets().lockBuckets(keys(key)).get(key).bucket();
                locked.countDown();
                await(release);
                ports.hourBuckets().saveBuckets(List.of(bucket.add(5)));
            }));
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
            Future<Long> waiter = pool.submit(() -> ports.unitOfWork().inTransaction(() ->
                    ports.hourBuckets().lockBuckets(keys(key)).get(key).bucket().quantity()));
            Thread.sleep(300);
            assertThat(waiter.isDone()).as("second locker must wait for the first").isFalse();
            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
            assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo(5L);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
