package io.taskmetering.adapter.rest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.taskmetering.adapter.rest.Bodies.map;
import static io.taskmetering.adapter.rest.Bodies.outcome;
import static io.taskmetering.adapter.rest.Bodies.with;
import static io.taskmetering.adapter.rest.TestApp.AGENT_A;
import static io.taskmetering.adapter.rest.TestApp.READER_A;
import static io.taskmetering.adapter.rest.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The disk under the H2 file fills up while clients write and read (H2 then closes the database), and is freed again:
 * every request that cannot be served answers 503 with {@code Retry-After} in its route's dialect, never 500;
 * {@code /ready} is 503 during the outage; {@code /health} stays 200 during a short outage and turns 503 once the
 * outage outlasts the liveness limit; the service recovers without a restart; every acknowledged outcome is stored,
 * and the clients' re-sends of the refused ones (same correlation id) charge each task exactly once.
 */
class StorageFaultTest {
    /** One request and its answer. */
    record Sent(String route, String correlationId, String task, String body, TestApp.Resp answer) {
        int status() {
            return answer.status();
        }

        boolean acknowledged() {
            return status() == 200 || status() == 201;
        }

        boolean sidecar() {
            return !route.startsWith("/v1/");
        }
    }

    @Test
    void a_full_disk_answers_503_and_the_service_recovers_without_restart(@TempDir Path dir) throws Exception {
        ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<TestApp.Resp> reads = new ConcurrentLinkedQueue<>();
        String url = FullDisk.url(dir.resolve("metering"));
        try (TestApp app = new TestApp().onDatabase(url).start()) {
            AtomicInteger next = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                boolean sidecar = w == 2;
                workers.add(clients.submit(() -> {
                    while (!stop.get()) {
                        sent.add(write(app, sidecar, next.getAndIncrement()));
                    }
                    return null;
                }));
            }
            workers.add(clients.submit(() -> {
                while (!stop.get()) {
                    reads.add(app.get("/v1/charges?subscription_ref=sub-a&limit=10", READER_A));
                }
                return null;
            }));
            await("40 acknowledged writes", () -> noServerError(sent) && sent.stream().filter(Sent::acknowledged).count() >= 40);

            FullDisk.fill();
            int before = sent.size();
            await("writes refused on the full disk", () -> noServerError(sent) && sent.stream().skip(before).filter(s -> s.status() == 503).count() >= 10);

            TestApp.Resp refused = app.post("/v1/outcomes", AGENT_A, json(with(outcome("probe-1", "sub-a"),
                    "correlation_id", "probe-1")));
            assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
            assertRefusalShape(refused, false);
            TestApp.Resp sidecarRefused = app.post("/record_task_completed", AGENT_A,
                    json(map("task_id", "probe-2", "subscription_ref", "sub-a", "correlation_id", "probe-2")));
            assertThat(sidecarRefused.status()).as(sidecarRefused.toString()).isEqualTo(503);
            assertRefusalShape(sidecarRefused, true);
            assertThat(app.get("/ready", null).status()).isEqualTo(503);
            assertThat(app.get("/health", null).status()).as("a short outage is not a reason to restart").isEqualTo(200);

            // The outage outlasts the liveness limit: /health asks for a restart, the gauge shows how long.
            app.clock.advance(app.livenessLimit.plusSeconds(1));
            TestApp.Resp unhealthy = app.get("/health", null);
            assertThat(unhealthy.status()).isEqualTo(503);
            assertThat(unhealthy.json().path("status").asText()).isEqualTo("unhealthy");
            assertThat(gauge(app, "metering_storage_unavailable_seconds")).isGreaterThan(300);

            FullDisk.free();
            await("ready again", () -> app.get("/ready", null).status() == 200);
            assertThat(app.get("/health", null).status()).isEqualTo(200);
            assertThat(gauge(app, "metering_storage_unavailable_seconds")).isZero();
            int recovered = sent.size();
            await("writes acknowledged again", () -> noServerError(sent) && sent.stream().skip(recovered).filter(Sent::acknowledged).count() >= 20);
            stop.set(true);
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
            clients.shutdown();

            assertThat(sent).extracting(Sent::status).allMatch(st -> st == 200 || st == 201 || st == 503);
            sent.forEach(s -> assertRefusalShape(s.answer(), s.sidecar()));
            assertThat(reads).extracting(TestApp.Resp::status).allMatch(st -> st == 200 || st == 503);
            reads.forEach(r -> assertRefusalShape(r, false));
            // The clients re-send what was refused, with the same correlation id.
            for (Sent s : sent) {
                if (!s.acknowledged()) {
                    TestApp.Resp again = app.post(s.route(), AGENT_A, s.body());
                    assertThat(again.status()).as("re-sent %s: %s", s.correlationId(), again).isIn(200, 201);
                }
            }
        } finally {
            FullDisk.free();
        }

        // In the database: one decision per correlation id sent, one charge per task, none twice.
        Map<String, String> decisions = rows(url, "SELECT correlation_id, task_id FROM decisions");
        Map<String, String> charges = rows(url, "SELECT task_id, correlation_id FROM charges");
        for (Sent s : sent) {
            assertThat(decisions).as("decision %s", s.correlationId()).containsEntry(s.correlationId(), s.task());
            assertThat(charges).as("charge of %s", s.task()).containsKey(s.task());
        }
        assertThat(charges).hasSize(sent.size());
    }

    private static Sent write(TestApp app, boolean sidecar, int n) {
        String cid = "cid-" + n;
        String task = "task-" + n;
        String route = sidecar ? "/record_task_completed" : "/v1/outcomes";
        String body = sidecar ? json(map("task_id", task, "subscription_ref", "sub-a", "correlation_id", cid))
                : json(with(outcome(task, "sub-a"), "correlation_id", cid));
        return new Sent(route, cid, task, body, app.post(route, AGENT_A, body));
    }

    /** A refusal because of storage is 503 with Retry-After, in the route's dialect; nothing else is a 5xx. */
    private static void assertRefusalShape(TestApp.Resp r, boolean sidecar) {
        assertThat(r.status()).as(r.toString()).isNotEqualTo(500);
        if (r.status() != 503) {
            return;
        }
        assertThat(r.header("Retry-After")).as(r.toString()).isEqualTo("1");
        if (sidecar) {
            assertThat(r.contentType()).startsWith("application/json");
            assertThat(r.json().path("error").asText()).contains("storage is unavailable");
        } else {
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().path("status").asInt()).isEqualTo(503);
        }
    }

    private static boolean noServerError(ConcurrentLinkedQueue<Sent> sent) {
        sent.stream().filter(s -> s.status() >= 500 && s.status() != 503).findFirst().ifPresent(s -> {
            throw new AssertionError(s.route() + " answered " + s.answer());
        });
        return true;
    }

    private static double gauge(TestApp app, String name) {
        return app.get("/metrics", null).text().lines().filter(l -> l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1))).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in /metrics"));
    }

    private static Map<String, String> rows(String url, String sql) throws SQLException {
        Map<String, String> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                assertThat(rows.put(rs.getString(1), rs.getString(2))).as("%s twice", rs.getString(1)).isNull();
            }
        }
        return rows;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
