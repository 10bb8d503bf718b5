package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.InsightQuery;
import io.taskmetering.application.port.in.CloseHoursCommand;
import io.taskmetering.application.port.in.InsightQueries;
import io.taskmetering.application.port.in.RecordOutcomeBatchCommand;
import io.taskmetering.application.port.in.RecordOutcomeCommand;
import io.taskmetering.application.port.in.RecordOutcomeBatchUseCase;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.common.SubscriptionRef;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.taskmetering.adapter.persistence.Fixtures.T0;
import static io.taskmetering.adapter.persistence.Fixtures.clockAt;
import static io.taskmetering.adapter.persistence.Fixtures.outcome;

/**
 * Throughput of the batch ingest path through the application's {@link RecordOutcomeBatchUseCase} (batches of 500,
 * every outcome billable with usage counts, so each one writes a decision, its outcome, a charge, a ledger entry and a
 * usage record, and each batch locks and updates its hour buckets and cap counters), and the cost of closing an hour
 * holding 10^2, 10^4 and 10^6 charges; with {@code -Dbench.insights=true}, instead, the insight queries over a day
 * of [outcomes] decisions. Arguments: {@code h2|postgres|all} [outcomes] [threads].
 */
public final class PersistenceBenchmark {
    private static final int BATCH = 500;
    private static final BillingHour CLOSE_HOUR = new BillingHour(T0);
    private static final BillingHour INGEST_HOUR = CLOSE_HOUR.next();
    /** Ingest sees 15:05: hour 14:00 still open (closes 15:10), hour 15:00 current. */
    private static final Clock INGEST_CLOCK = clockAt(INGEST_HOUR.start().plusSeconds(300));
    /** The closer sees 15:11: hour 14:00 due. */
    private static final Clock CLOSE_CLOCK = clockAt(INGEST_HOUR.start().plusSeconds(660));

    private PersistenceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "all";
        int outcomes = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        System.out.printf(Locale.ROOT, "machine: %d cores, %s %s, java %s, max heap %d MiB%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
        if (which.equals("h2") || which.equals("all")) {
            TestDb.Fresh db = TestDb.h2File("bench");
            try {
                String url = System.getProperty("bench.h2url", db.url());
                run(url.startsWith("jdbc:h2:mem") ? "H2 mem" : "H2 file", url, db.user(), db.password(), outcomes, threads);
            } finally {
                db.drop().run();
            }
        }
        if (which.equals("postgres") || which.equals("all")) {
            // PostgreSQL's own durability defaults (the embedded library turns fsync off unless told otherwise)
            try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .start()) {
                String url = pg.getJdbcUrl("postgres", "postgres");
                try (var c = java.sql.DriverManager.getConnection(url, "postgres", "");
                     var rs = c.createStatement().executeQuery("SELECT version(), current_setting('fsync'), "
                             + "current_setting('synchronous_commit'), current_setting('shared_buffers')")) {
                    rs.next();
                    System.out.printf(Locale.ROOT, "postgres: %s; fsync=%s synchronous_commit=%s shared_buffers=%s%n",
                            rs.getString(1).split(",")[0], rs.getString(2), rs.getString(3), rs.getString(4));
                }
                run("PostgreSQL (embedded)", url, "postgres", "", outcomes, threads);
            }
        }
    }

    private static void run(String label, String url, String user, String password, int outcomes, int threads) throws Exception {
        try (PersistenceModule module = PersistenceModule.start(url, user, password, threads + 2, CLOSE_CLOCK)) {
            if (Boolean.getBoolean("bench.insights")) {
                insights(label, module, outcomes);
                return;
            }
            RecordOutcomeBatchUseCase service = Services.batch(module, INGEST_CLOCK);
            // warm-up to steady state (JIT-compiled code, statement caches), in its own subscription: with 10,000
            // outcomes the measured run still paid for compilation (PostgreSQL, 2 threads: 15-16k/s instead of 20k/s)
            ingest(service, "warmup", Integer.getInteger("bench.warmup", 100_000), threads, INGEST_HOUR);
            double load = os().getSystemLoadAverage();
            long cpu = os().getProcessCpuTime();
            long start = System.nanoTime();
            ingest(service, "bench", outcomes, threads, INGEST_HOUR);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (os().getProcessCpuTime() - cpu) / 1e9;
            System.out.printf(Locale.ROOT, "%s ingest: %,d outcomes in batches of %d, %d thread(s): %.1f s = %,.0f outcomes/s "
                            + "(JVM CPU %.1f s = %,.0f outcomes per JVM CPU-second; load average %.1f before, %.1f after)%n",
                    label, outcomes, BATCH, threads, seconds, outcomes / seconds, cpuSeconds, outcomes / cpuSeconds, load,
                    os().getSystemLoadAverage());

            if (Boolean.getBoolean("bench.ingestOnly")) {
                return;
            }
            // hour close at 10^2, 10^4 (ingested through the service) and 10^6 charges (rows and counter inserted in SQL)
            ingest(service, "close-0-warmup", 1, 1, CLOSE_HOUR);
            ingest(service, "close-1e2", 100, 1, CLOSE_HOUR);
            ingest(service, "close-1e4", 10_000, 1, CLOSE_HOUR);
            bulkCharges(module, "close-1e6", 1_000_000, CLOSE_HOUR);
            var closer = Services.close(module, CLOSE_CLOCK);
            closer.closeDueHours(new CloseHoursCommand(1)); // warm-up: closes close-0-warmup, the first due bucket
            for (String sub : List.of("close-1e2", "close-1e4", "close-1e6")) {
                long t = System.nanoTime();
                var result = closer.closeDueHours(new CloseHoursCommand(1));
                double ms = (System.nanoTime() - t) / 1e6;
                long charges = module.jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM charges WHERE subscription_ref = :s").bind("s", sub).mapTo(Long.class).one());
                System.out.printf(Locale.ROOT, "%s close hour of %s: %,d charges in the table, event quantity %,d, %.2f ms%n",
                        label, sub, charges, result.events().get(0).quantity(), ms);
            }
        }
    }

    /**
     * The insight queries over a day holding {@code outcomes} metered decisions, written set-based (ingesting a million
     * through the service takes minutes): 10 subscriptions, 4 agents, 3 agent versions, spread over 24 hours; per 5
     * reports 2 charged, 1 duplicate, 1 failing terminal_success, 1 failing output_validation. Each query runs 3 times;
     * the fastest is shown.
     */
    private static void insights(String label, PersistenceModule module, int outcomes) {
        long day = Micros.of(CLOSE_HOUR.start()) - 14 * Micros.HOUR;
        long t = System.nanoTime();
        module.jdbi().useTransaction(handle -> {
            String series = module.databaseKind().equals("H2")
                    ? "SELECT CAST(g.i AS BIGINT) AS i FROM SYSTEM_RANGE(1, " + outcomes + ") AS g(i)"
                    : "SELECT CAST(g.i AS BIGINT) AS i FROM generate_series(1, " + outcomes + ") AS g(i)";
            String hour = day + " + MOD(i, 24) * " + Micros.HOUR + " + MOD(i, 3600) * 1000000";
            handle.execute("INSERT INTO decisions (correlation_id, task_id, agent_id, subscription_ref, dimension, plan_id, "
                    + "kind, occurred_at_us, received_at_us, billable, contract_version, evidence_sha256, evidence_json, "
                    + "decision_json, metadata_json, agent_version, failed_gate, evidence_complete, outcome_duplicate_of) SELECT "
                    + "'i-' || CAST(i AS VARCHAR(12)), 't-' || CAST(i AS VARCHAR(12)), 'agent-' || CAST(MOD(i, 4) AS VARCHAR(2)), "
                    + "'ins-' || CAST(MOD(i, 10) AS VARCHAR(2)), 'task_completed', 'plan-basic', 'METERED', " + hour + ", "
                    + hour + ", MOD(i, 5) < 3, 'v1', '" + "0".repeat(64) + "', '{}', '{}', '{}', "
                    + "'1.' || CAST(MOD(i, 3) AS VARCHAR(2)), CASE MOD(i, 5) WHEN 3 THEN 'terminal_success' WHEN 4 THEN "
                    + "'output_validation' END, MOD(i, 2) = 0, CASE MOD(i, 5) WHEN 2 THEN 'i-0' END FROM (" + series + ") s");
            handle.execute("INSERT INTO charges (correlation_id, subscription_ref, dimension, task_id, dedupe_scope, agent_id, "
                    + "occurred_at_us, billing_hour_us, late, state, disputed_from, counted, hold_reasons, version, "
                    + "created_at_us, updated_at_us) SELECT 'i-' || CAST(i AS VARCHAR(12)), 'ins-' || CAST(MOD(i, 10) AS VARCHAR(2)), "
                    + "'task_completed', 't-' || CAST(i AS VARCHAR(12)), 'task', 'agent-' || CAST(MOD(i, 4) AS VARCHAR(2)), "
                    + hour + ", " + day + " + MOD(i, 24) * " + Micros.HOUR + ", FALSE, 'QUALIFIED', NULL, TRUE, '[]', 0, "
                    + day + ", " + day + " FROM (" + series + ") s WHERE MOD(i, 5) < 2");
            if (!module.databaseKind().equals("H2")) {
                handle.execute("ANALYZE");
            }
        });
        System.out.printf(Locale.ROOT, "%s insights: %,d decisions written in SQL in %.1f s%n", label, outcomes,
                (System.nanoTime() - t) / 1e9);
        var insights = Services.wire(module.ports(), CLOSE_CLOCK).insights();
        InsightQuery all = new InsightQuery(Set.of(), null, Micros.toInstant(day), Micros.toInstant(day + 24 * Micros.HOUR));
        InsightQuery one = new InsightQuery(Set.of(new SubscriptionRef("ins-3")), null, all.from(), all.to());
        // ins-3 holds odd i only, so odd hours of the day
        InsightQuery oneHour = new InsightQuery(Set.of(new SubscriptionRef("ins-3")), null, all.from().plusSeconds(3600),
                all.from().plusSeconds(7200));
        Map<String, java.util.function.Supplier<List<?>>> queries = new LinkedHashMap<>();
        queries.put("hours, one subscription, one hour", () -> insights.hours(oneHour));
        queries.put("hours, one subscription, 24 hours", () -> insights.hours(one));
        queries.put("hours, every subscription, 24 hours", () -> insights.hours(all));
        queries.put("summary by agent_version, every subscription, 24 hours",
                () -> insights.summary(all, InsightQueries.GroupBy.AGENT_VERSION));
        queries.forEach((name, query) -> {
            double best = Double.MAX_VALUE;
            int rows = 0;
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                rows = query.get().size();
                best = Math.min(best, (System.nanoTime() - start) / 1e6);
            }
            System.out.printf(Locale.ROOT, "%s insights %s (of %,d decisions in the table): %d row(s), %.0f ms%n",
                    label, name, outcomes, rows, best);
        });
    }

    private static com.sun.management.OperatingSystemMXBean os() {
        return (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    }

    private static void ingest(RecordOutcomeBatchUseCase service, String prefix, int outcomes, int threads,
                               BillingHour hour) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            int perThread = outcomes / threads;
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    SubscriptionRef sub = new SubscriptionRef(prefix + (threads > 1 ? "-" + thread : ""));
                    for (int from = 0; from < perThread; from += BATCH) {
                        List<RecordOutcomeCommand> batch = new ArrayList<>(BATCH);
                        for (int i = from; i < Math.min(perThread, from + BATCH); i++) {
                            String id = prefix + "-" + thread + "-" + i;
                            Instant at = hour.start().plusMillis(i % 3_600_000);
                            batch.add(outcome(sub, id, id, at));
                        }
                        service.recordBatch(new RecordOutcomeBatchCommand(batch));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** A million QUALIFIED charges of one bucket, and its counter, written set-based (ingesting them would take minutes). */
    private static void bulkCharges(PersistenceModule module, String sub, int n, BillingHour hour) {
        long h = Micros.of(hour.start());
        module.jdbi().useTransaction(handle -> {
            String series = module.databaseKind().equals("H2")
                    ? "SELECT i FROM SYSTEM_RANGE(1, " + n + ") AS g(i)"
                    : "SELECT i FROM generate_series(1, " + n + ") AS g(i)";
            handle.execute("INSERT INTO charges (correlation_id, subscription_ref, dimension, task_id, dedupe_scope, agent_id, "
                    + "occurred_at_us, billing_hour_us, late, state, disputed_from, counted, hold_reasons, version, "
                    + "created_at_us, updated_at_us) SELECT '" + sub + "-' || CAST(i AS VARCHAR(12)), '" + sub
                    + "', 'task_completed', 't-' || CAST(i AS VARCHAR(12)), 'task', 'agent-1', " + h + ", " + h
                    + ", FALSE, 'QUALIFIED', NULL, TRUE, '[]', 0, " + h + ", " + h + " FROM (" + series + ") s");
            insertBucket(handle, sub, h, n);
        });
    }

    private static void insertBucket(Handle handle, String sub, long hour, long quantity) {
        handle.execute("INSERT INTO hour_buckets (subscription_ref, dimension, hour_us, plan_id, quantity, closed, created_at_us) "
                + "VALUES (?, 'task_completed', ?, 'plan-basic', ?, FALSE, ?)", sub, hour, quantity, hour);
    }

}
