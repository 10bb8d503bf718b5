package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.port.in.CloseHoursCommand;
import io.taskmetering.application.port.in.OutcomeResult;
import io.taskmetering.application.port.in.RecordOutcomeBatchCommand;
import io.taskmetering.application.port.in.RecordOutcomeCommand;
import io.taskmetering.application.port.out.HourBucketPort;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.billing.CapPeriod;
import io.taskmetering.domain.billing.UsageEventStatus;
import io.taskmetering.domain.common.PlanId;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.taskmetering.adapter.persistence.Fixtures.HOUR;
import static io.taskmetering.adapter.persistence.Fixtures.SUB;
import static io.taskmetering.adapter.persistence.Fixtures.SUB2;
import static io.taskmetering.adapter.persistence.Fixtures.T0;
import static io.taskmetering.adapter.persistence.Fixtures.bucket;
import static io.taskmetering.adapter.persistence.Fixtures.cid;
import static io.taskmetering.adapter.persistence.Fixtures.clockAt;
import static io.taskmetering.adapter.persistence.Fixtures.outcome;
import static org.assertj.core.api.Assertions.assertThat;

/** The outcome path through the application's services under concurrency: exactly once, counters equal to rows. */
abstract class ConcurrencyContract extends ModuleTestBase {
    private static final int THREADS = 8;
    private static final int TASKS = 1_000;

    @Override
    protected int poolSize() {
        return THREADS + 2;
    }

    @Test
    void eightThreadsRecordingTheSameThousandTasksChargeEachOnce() throws Exception {
        Clock clock = clockAt(T0.plusSeconds(1800));
        var service = Services.batch(module, clock);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<Integer> order = new ArrayList<>();
                    for (int i = 0; i < TASKS; i++) {
                        order.add(i);
                    }
                    Collections.shuffle(order, new Random(thread)); // every thread in its own order
                    start.await();
                    long charged = 0;
                    for (int from = 0; from < TASKS; from += 100) {
                        List<RecordOutcomeCommand> batch = new ArrayList<>();
                        for (int i : order.subList(from, from + 100)) {
                            batch.add(outcome(SUB, "task-" + i, "thread-" + thread + "-" + i, T0.plusSeconds(i)));
                        }
                        for (OutcomeResult r : service.recordBatch(new RecordOutcomeBatchCommand(batch))) {
                            if (!(((OutcomeResult.Decided) r).recording() instanceof OutcomeRecord.Duplicate)) {
                                charged++;
                            }
                        }
                    }
                    return charged;
                }));
            }
            start.countDown();
            long charged = 0;
            for (Future<Long> f : futures) {
                charged += f.get(120, TimeUnit.SECONDS);
            }
            assertThat(charged).as("charges reported as new across all threads").isEqualTo(TASKS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("SELECT COUNT(*) FROM charges")).isEqualTo(TASKS);
        assertThat(count("SELECT COUNT(*) FROM decisions")).isEqualTo((long) THREADS * TASKS);
        assertThat(count("SELECT COUNT(*) FROM decisions WHERE outcome_duplicate_of IS NOT NULL")).isEqualTo((long) (THREADS - 1) * TASKS);
        assertThat(count("SELECT COUNT(*) FROM ledger_entries")).isEqualTo(TASKS);
        assertThat(count("SELECT COUNT(DISTINCT task_id) FROM charges")).isEqualTo(TASKS);
        assertThat(count("SELECT COALESCE(SUM(quantity), 0) FROM hour_buckets")).isEqualTo(TASKS);
        assertThat(count("SELECT quantity FROM hour_buckets WHERE hour_us = " + Micros.of(HOUR.start())))
                .isEqualTo(count("SELECT COUNT(*) FROM charges WHERE state = 'QUALIFIED' AND billing_hour_us = "
                        + Micros.of(HOUR.start())));
        Map<CapPeriod, Long> counters = module.unitOfWork().inTransaction(() -> module.capCounters().lockCapCounters(
                new TreeSet<>(List.of(CapPeriod.hourOf(SUB, HOUR), CapPeriod.dayOf(SUB, HOUR)))));
        assertThat(counters.values()).containsOnly((long) TASKS);
        // usage records: one per thread and task (each thread reported at the same instants under its consumer)
        assertThat(count("SELECT COUNT(*) FROM usage_records")).isEqualTo(TASKS);
    }

    @Test
    void insertsRacingAnHourCloseNeverLoseOrDoubleCountACharge() throws Exception {
        // inserters see 15:05 (hour 14:00 still in its grace period); the closer sees 15:11 (hour 14:00 due)
        Clock inserterClock = clockAt(T0.plusSeconds(3600 + 300));
        Clock closerClock = clockAt(T0.plusSeconds(3600 + 660));
        var inserter = Services.batch(module, inserterClock);
        var closer = Services.close(module, closerClock);
        int threads = 4;
        int batches = 20;
        int perBatch = 25;
        CountDownLatch halfway = new CountDownLatch(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int b = 0; b < batches; b++) {
                        if (b == batches / 4) {
                            halfway.countDown();
                        }
                        List<RecordOutcomeCommand> batch = new ArrayList<>();
                        for (int i = 0; i < perBatch; i++) {
                            String task = "t" + thread + "-" + b + "-" + i;
                            batch.add(outcome(SUB, task, task, T0.plusSeconds(1800)));
                        }
                        inserter.recordBatch(new RecordOutcomeBatchCommand(batch));
                    }
                    return null;
                }));
            }
            Future<?> close = pool.submit(() -> {
                halfway.await();
                return closer.closeDueHours(CloseHoursCommand.defaults());
            });
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
            close.get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        long total = (long) threads * batches * perBatch;
        long hour = Micros.of(HOUR.start());
        long next = Micros.of(HOUR.next().start());
        long inHour = count("SELECT COUNT(*) FROM charges WHERE billing_hour_us = " + hour);
        long inNext = count("SELECT COUNT(*) FROM charges WHERE billing_hour_us = " + next);
        assertThat(count("SELECT COUNT(*) FROM charges")).isEqualTo(total);
        assertThat(inHour + inNext).isEqualTo(total);
        assertThat(inHour).as("some charges landed before the close").isPositive();
        assertThat(inNext).as("some charges arrived after the close and moved to the next hour").isPositive();
        assertThat(count("SELECT COUNT(*) FROM charges WHERE billing_hour_us = " + next + " AND late = TRUE")).isEqualTo(inNext);

        TreeMap<BucketKey, PlanId> keys = new TreeMap<>(Map.of(bucket(SUB, HOUR), Fixtures.PLAN, bucket(SUB, HOUR.next()), Fixtures.PLAN));
        Map<BucketKey, HourBucketPort.LockedBucket> buckets = module.unitOfWork().inTransaction(() -> module.hourBuckets().lockBuckets(keys));
        assertThat(buckets.get(bucket(SUB, HOUR)).bucket().closed()).isTrue();
        assertThat(buckets.get(bucket(SUB, HOUR)).bucket().quantity()).isEqualTo(inHour);
        assertThat(buckets.get(bucket(SUB, HOUR.next())).bucket().closed()).isFalse();
        assertThat(buckets.get(bucket(SUB, HOUR.next())).bucket().quantity()).isEqualTo(inNext);
        var event = module.usageEventOutbox().findUsageEvent(bucket(SUB, HOUR)).orElseThrow();
        assertThat(event.event().quantity()).isEqualTo(inHour);
        assertThat(event.status()).isEqualTo(UsageEventStatus.PENDING);
    }

    @Test
    void aReplayedCorrelationIdReturnsTheStoredDecision() {
        var service = Services.single(module, clockAt(T0.plusSeconds(1800)));
        var first = (OutcomeResult.Decided) service.record(outcome(SUB, "task-r", "corr-r", T0.plusSeconds(10)));
        var again = (OutcomeResult.Decided) service.record(outcome(SUB, "task-r", "corr-r", T0.plusSeconds(10)));
        assertThat(first.replayed()).isFalse();
        assertThat(again).isEqualTo(new OutcomeResult.Decided(first.correlationId(), first.taskId(), first.subscription(),
                first.decision(), first.recording(), true));
        var retry = (OutcomeResult.Decided) service.record(
                outcome(SUB, "task-r", "corr-r2", Instant.parse("2026-02-06T14:20:00Z")));
        assertThat(retry.recording()).isEqualTo(new OutcomeRecord.Duplicate(cid("corr-r2"), cid("corr-r")));
        assertThat(count("SELECT COUNT(*) FROM charges")).isEqualTo(1);
    }

    /** Claims are exclusive across service instances, each with its own connection pool on one database. */
    @Test
    void twoInstancesWithTheirOwnPoolsClaimEachEventOnce() throws Exception {
        List<UsageEvent> events = new ArrayList<>();
        BillingHour h = HOUR;
        for (int i = 0; i < 150; i++) {
            events.add(OutboxContract.event(SUB, h, 1));
            events.add(OutboxContract.event(SUB2, h, 1));
            h = h.next();
        }
        module.usageEventOutbox().insertUsageEvents(events, OutboxContract.NOW);
        try (PersistenceModule other = PersistenceModule.start(database.url(), database.user(), database.password(), 2, clock())) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Callable<List<BucketKey>> claimerA = claimer(module, "node-a");
                Callable<List<BucketKey>> claimerB = claimer(other, "node-b");
                Future<List<BucketKey>> a = pool.submit(claimerA);
                Future<List<BucketKey>> b = pool.submit(claimerB);
                List<BucketKey> gotA = a.get();
                List<BucketKey> gotB = b.get();
                Set<BucketKey> union = new HashSet<>(gotA);
                union.addAll(gotB);
                assertThat(gotA.size() + gotB.size()).as("no event claimed twice").isEqualTo(union.size());
                assertThat(union).hasSize(events.size());
                assertThat(count("SELECT COUNT(DISTINCT claimed_by) FROM usage_events")).isBetween(1L, 2L);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static Callable<List<BucketKey>> claimer(PersistenceModule m, String name) {
        return () -> {
            List<BucketKey> claimed = new ArrayList<>();
            while (true) {
                var batch = m.unitOfWork().inTransaction(() -> m.usageEventOutbox()
                        .claimDueUsageEvents(7, OutboxContract.NOW, OutboxContract.LEASE, name));
                if (batch.isEmpty()) {
                    return claimed;
                }
                batch.forEach(e -> claimed.add(e.key()));
            }
        };
    }
}
