package io.taskmetering.bootstrap.system;

import io.taskmetering.adapter.marketplace.FakeMarketplace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What the system tests share: the database settings, the environment of a service instance, outcome bodies, hours,
 * and polling.
 *
 * <h2>How an hour is made to close without waiting for the wall clock</h2>
 * An hour closes at {@code end + METERING_HOUR_GRACE}; the service's clock is the real one, and there is no test-only
 * clock key. The tests drive time with the grace, the operator's own lever, and a restart on the same database:
 * <ol>
 *   <li>With {@link #OPEN_GRACE} ({@code PT2H}) the previous UTC hour ({@link #previousHour()}) is open whatever the
 *       time of day (it closes at its end + 2 h, at least an hour from now), so outcomes dated in it are billed in it,
 *       not late, and {@code POST /v1/usage-events/submit} closes nothing.</li>
 *   <li>Restarted with {@link #CLOSING_GRACE} ({@code PT0S}) on the same database, that hour has ended, so it is due:
 *       the scheduler's first run at start-up, or {@code POST /v1/usage-events/submit}, closes it and submits it. Its
 *       {@code effectiveStartTime} lies one to two hours back, well inside the Marketplace's 24 h window. Outcomes
 *       dated in it that arrive now are billed late in the current hour.</li>
 * </ol>
 * This is deterministic at any time of day (also across a top of the hour during the test), needs no sleep and no
 * test-only configuration, and the restart is itself part of what is being tested. A test-only clock key was
 * considered and rejected: the jar under test would then not be the jar that runs in production.
 *
 * <p>{@link TwoInstancesIT} is the one exception: to make two <em>running</em> instances race for the same hour it
 * picks a grace that makes the hour due a few seconds after both are up, and waits for that moment by polling.
 */
final class SystemTests {
    static final String OPEN_GRACE = "PT2H";
    static final String CLOSING_GRACE = "PT0S";
    static final String PLAN = "gold";
    static final String DIMENSION = "task_completed";

    private SystemTests() {
    }

    /** Where an instance keeps its data. */
    record Database(String url, String user, String password) {
        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("METERING_DB_URL", url);
            env.put("METERING_DB_USER", user);
            env.put("METERING_DB_PASSWORD", password);
            return env;
        }
    }

    /** A fresh embedded H2 file database in its own directory under {@code target/system-it}. */
    static Database h2File(String name) {
        try {
            Path dir = Files.createDirectories(ServiceProcess.logDirectory().resolve("db"))
                    .resolve(name + "-" + UUID.randomUUID());
            Files.createDirectories(dir);
            return new Database("jdbc:h2:file:" + dir.toAbsolutePath().resolve("metering"), "sa", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The environment of one instance: its database, the fake Marketplace in live mode, the three API keys, plan
     * {@value #PLAN}, the given grace, and a scheduler that runs at start-up and then only every hour (so the test's
     * own {@code POST /v1/usage-events/submit} decides when a submission happens, unless a test shortens it).
     */
    static Map<String, String> env(Database db, FakeMarketplace marketplace, String grace, String instanceId) {
        Map<String, String> env = new LinkedHashMap<>(db.env());
        env.put("METERING_MARKETPLACE_MODE", "live");
        env.put("METERING_MARKETPLACE_BASE_URL", marketplace.baseUrl());
        env.put("METERING_MARKETPLACE_TOKEN_URL", marketplace.tokenUrl());
        env.put("METERING_MARKETPLACE_TENANT_ID", FakeMarketplace.TENANT);
        env.put("METERING_MARKETPLACE_CLIENT_ID", FakeMarketplace.CLIENT_ID);
        env.put("METERING_MARKETPLACE_CLIENT_SECRET", FakeMarketplace.CLIENT_SECRET);
        env.put("METERING_API_KEYS", Api.API_KEYS);
        env.put("METERING_PLAN_ID", PLAN);
        env.put("METERING_HOUR_GRACE", grace);
        env.put("METERING_SUBMIT_INTERVAL", "PT1H");
        env.put("METERING_INSTANCE_ID", instanceId);
        env.put("METERING_DB_POOL_SIZE", "8");
        return env;
    }

    /** The previous UTC hour: open under {@link #OPEN_GRACE}, due under {@link #CLOSING_GRACE}. */
    static Instant previousHour() {
        return Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS);
    }

    static String subscription() {
        return UUID.randomUUID().toString();
    }

    /** A {@code POST /v1/outcomes} body; {@code billable} decides {@code outputs.status}. */
    static Map<String, Object> outcome(String subscription, String taskId, String correlationId, Instant occurredAt,
                                       boolean billable) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("task_id", taskId);
        body.put("agent_id", "agent-" + Math.floorMod(taskId.hashCode(), 3));
        body.put("subscription_ref", subscription);
        body.put("correlation_id", correlationId);
        body.put("occurred_at", occurredAt.toString());
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("status", billable ? "completed" : "failed");
        outputs.put("summary", billable ? "ticket resolved" : "tool call failed");
        body.put("evidence", Map.of("outputs", outputs, "query", "reset my password", "response", "done"));
        body.put("usage", Map.of("tokens_in", 120, "tokens_out", 80, "duration_ms", 900, "api_calls", 2));
        return body;
    }

    static Map<String, Object> batch(List<Map<String, Object>> outcomes) {
        return Map.of("outcomes", outcomes);
    }

    /** Polls {@code check} every 50 ms until it returns non-null, or fails with {@code what}. */
    static <T> T await(String what, Duration timeout, Supplier<T> check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        AssertionError last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = check.get();
                if (value != null) {
                    return value;
                }
            } catch (AssertionError e) {
                last = e;
            }
            ServiceProcess.pause(50);
        }
        AssertionError failure = new AssertionError("timed out after " + timeout + " waiting for " + what);
        if (last != null) {
            failure.addSuppressed(last);
        }
        throw failure;
    }

    /** Usage events of the outbox, by subscription, for one hour. */
    static Map<String, Map<String, Object>> usageEvents(Api reader, Instant hour) {
        Map<String, Map<String, Object>> bySubscription = new LinkedHashMap<>();
        for (Map<String, Object> event : reader.all("/v1/usage-events")) {
            if (hour.toString().equals(event.get("hour"))) {
                bySubscription.put((String) event.get("subscription_ref"), event);
            }
        }
        return bySubscription;
    }
}
