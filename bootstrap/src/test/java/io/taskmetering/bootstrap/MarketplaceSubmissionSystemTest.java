package io.taskmetering.bootstrap;

import io.taskmetering.adapter.marketplace.DryRunMarketplaceClient;
import io.taskmetering.adapter.marketplace.FakeMarketplace;
import io.taskmetering.adapter.marketplace.MarketplaceHttpClient;
import io.taskmetering.adapter.marketplace.MarketplacePayloads;
import io.taskmetering.adapter.marketplace.SubmissionMode;
import io.taskmetering.adapter.persistence.PersistenceModule;
import io.taskmetering.application.model.AnomalyQuery;
import io.taskmetering.application.model.ChargeQuery;
import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.application.model.UsageEventQuery;
import io.taskmetering.application.model.UsageEventRecord;
import io.taskmetering.application.port.in.CloseHoursCommand;
import io.taskmetering.application.port.in.CloseHoursUseCase.CloseHoursResult;
import io.taskmetering.application.port.in.OutcomeResult;
import io.taskmetering.application.port.in.RecordOutcomeBatchCommand;
import io.taskmetering.application.port.in.RecordOutcomeBatchUseCase;
import io.taskmetering.application.port.in.RecordOutcomeCommand;
import io.taskmetering.application.port.in.SubmitUsageEventsUseCase.SubmissionRunResult;
import io.taskmetering.application.port.in.SubmitUsageEventsCommand;
import io.taskmetering.application.port.in.SubmitUsageEventsUseCase;
import io.taskmetering.application.port.out.IdGenerator;
import io.taskmetering.application.port.out.MarketplaceSubmissionPort;
import io.taskmetering.application.service.BillingPolicy;
import io.taskmetering.application.service.MeteringUseCases;
import io.taskmetering.application.testing.OutcomeReportBuilder;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.billing.UsageEventStatus;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.testdata.MutableClock;
import io.taskmetering.domain.usage.RetentionPolicy;
import io.taskmetering.domain.trace.TraceMapping;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application-level test of submission under faults: the persistence adapter on H2, the live Marketplace client against a local
 * Metering API that fails at random (seeded: 503s, 500s, 429s, resets, and answers lost after the event was recorded),
 * 1,000 usage events (50 subscriptions x 20 hours) submitted in batches by four concurrent workers. Every hour must end
 * accepted exactly once on the server side, and every charge BILLABLE. (Single-event mode under the same random faults
 * is covered in the adapter's ConcurrentSubmissionTest; the persistence side is the same.)
 */
class MarketplaceSubmissionSystemTest {
    private static final Instant NOW = Instant.parse("2025-06-02T00:20:00Z");
    private static final Instant FIRST_HOUR = Instant.parse("2025-06-01T04:00:00Z");
    private static final int SUBSCRIPTIONS = 50;
    private static final int HOURS = 20;
    private static final int WORKERS = 4;

    private final MutableClock clock = new MutableClock(FIRST_HOUR);
    private final BillingPolicy policy = BillingPolicy.defaults(PlanId.of("gold"));
    private final IdGenerator ids = () -> UUID.randomUUID().toString();
    private PersistenceModule persistence;
    private FakeMarketplace marketplace;

    @BeforeEach
    void start() throws Exception {
        persistence = PersistenceModule.start("jdbc:h2:mem:marketplace-system-" + UUID.randomUUID(), "sa", "", 12, clock);
        marketplace = new FakeMarketplace(clock);
    }

    @AfterEach
    void stop() throws Exception {
        marketplace.close();
        persistence.close();
    }

    @Test
    void everyHourIsAcceptedExactlyOnceAndEveryChargeBecomesBillable() throws Exception {
        long charges = recordOutcomes();
        clock.setTo(NOW);
        CloseHoursResult closed = wire("closer", new DryRunMarketplaceClient()).closeHours()
                .closeDueHours(CloseHoursCommand.defaults());
        assertThat(closed.events()).hasSize(SUBSCRIPTIONS * HOURS);

        marketplace.failRandomly(20250602L, 0.3);
        AtomicLong waits = new AtomicLong();
        Map<SubmissionStatus, AtomicLong> outcomes = new ConcurrentHashMap<>();
        AtomicLong invoiced = new AtomicLong();
        try (MarketplaceHttpClient client = MarketplaceHttpClient.builder(marketplace.config()
                        .submissionMode(SubmissionMode.BATCH).maxAttempts(3).jitter(0.5).readTimeout(Duration.ofMillis(500)).build())
                .clock(clock).sleeper(d -> waits.incrementAndGet()).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                SubmitUsageEventsUseCase service = wire("worker-" + w, client).submitUsageEvents();
                workers.add(pool.submit(() -> {
                    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                    while (pending() > 0 && System.nanoTime() < deadline) {
                        SubmissionRunResult run = service.submitDue(new SubmitUsageEventsCommand(40));
                        invoiced.addAndGet(run.chargesInvoiced());
                        for (SubmissionResult result : run.results()) {
                            outcomes.computeIfAbsent(result.status(), s -> new AtomicLong()).incrementAndGet();
                        }
                        if (run.results().isEmpty()) {
                            Thread.sleep(10); // the rest is claimed by other workers
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            pool.shutdown();
        }

        assertThat(pending()).isZero();
        List<UsageEventRecord> events = usageEvents();
        assertThat(events).hasSize(SUBSCRIPTIONS * HOURS).allMatch(r -> r.status() == UsageEventStatus.ACCEPTED);
        assertThat(marketplace.ledger).hasSize(SUBSCRIPTIONS * HOURS);
        for (UsageEventRecord record : events) {
            UsageEvent event = record.event();
            FakeMarketplace.Held held = marketplace.ledger.get(
                    FakeMarketplace.key(event.resourceId(), event.dimension(), event.effectiveStartTime()));
            assertThat(held).as(event.key().toString()).isNotNull();
            assertThat(held.quantity()).isEqualTo(Long.toString(event.quantity()));
            assertThat(record.usageEventId()).isEqualTo(held.usageEventId());
            assertThat(record.requestBody()).isEqualTo(MarketplacePayloads.eventJson(event));
        }
        assertThat(count(ChargeState.BILLABLE)).isEqualTo(charges);
        assertThat(count(ChargeState.QUALIFIED)).isZero();
        assertThat(invoiced).hasValue(charges);
        assertThat(persistence.anomalies().findAnomalies(new AnomalyQuery(java.util.Set.of(), null, null, null, 100, null))
                .items()).isEmpty();
        // the faults were real: answers were lost after the event landed, and the replays were recognised as ours
        assertThat(outcomes).containsKey(SubmissionStatus.DUPLICATE_ACCEPTED);
        assertThat(waits.get()).isPositive();
        assertThat(outcomes.keySet()).containsOnly(SubmissionStatus.ACCEPTED, SubmissionStatus.DUPLICATE_ACCEPTED,
                SubmissionStatus.RETRY_LATER);
        assertThat(marketplace.tokenRequests).hasValue(1);
    }

    /** The application's one wiring on this test's database, as one service instance named {@code claimer}. */
    private MeteringUseCases wire(String claimer, MarketplaceSubmissionPort marketplace) {
        return new MeteringUseCases(persistence.ports(), marketplace, Optional.empty(), clock, ids, policy,
                new MeteringUseCases.Settings(claimer, Duration.ofMinutes(5), Duration.ofMinutes(30), RetentionPolicy.days(30),
                        TraceMapping.defaults()));
    }

    /** 50 subscriptions x 20 hours, 1 to 3 tasks each, recorded while each hour is current; returns the charge count. */
    private long recordOutcomes() {
        RecordOutcomeBatchUseCase record = wire("recorder", new DryRunMarketplaceClient()).recordOutcomeBatch();
        long charges = 0;
        for (int h = 0; h < HOURS; h++) {
            Instant at = FIRST_HOUR.plus(Duration.ofHours(h)).plus(Duration.ofMinutes(5));
            clock.setTo(at);
            List<RecordOutcomeCommand> commands = new ArrayList<>();
            for (int s = 0; s < SUBSCRIPTIONS; s++) {
                for (int t = 0; t <= (s + h) % 3; t++) {
                    commands.add(OutcomeReportBuilder.aReport()
                            .forSubscription(String.format("%08x-1111-4000-8000-%012x", s, s))
                            .forTask("task-" + s + "-" + h + "-" + t)
                            .occurredAt(at)
                            .command());
                }
            }
            List<OutcomeResult> results = record.recordBatch(new RecordOutcomeBatchCommand(commands));
            assertThat(results).allMatch(r -> r instanceof OutcomeResult.Decided);
            charges += commands.size();
        }
        return charges;
    }

    private long pending() {
        return persistence.unitOfWork().inTransaction(() -> persistence.ports().loadUsageEvents().findUsageEvents(
                new UsageEventQuery(java.util.Set.of(), UsageEventStatus.PENDING, null, null, 1, null)).items().size());
    }

    private List<UsageEventRecord> usageEvents() {
        List<UsageEventRecord> all = new ArrayList<>();
        String cursor = null;
        do {
            String pageCursor = cursor;
            Page<UsageEventRecord> page = persistence.ports().loadUsageEvents().findUsageEvents(
                    new UsageEventQuery(java.util.Set.of(), null, null, null, 1000, pageCursor));
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }

    private long count(ChargeState state) {
        long total = 0;
        String cursor = null;
        do {
            Page<io.taskmetering.domain.charge.Charge> page = persistence.loadCharges().findCharges(
                    new ChargeQuery(java.util.Set.of(), state, null, null, 1000, cursor));
            total += page.items().size();
            cursor = page.nextCursor();
        } while (cursor != null);
        return total;
    }
}
