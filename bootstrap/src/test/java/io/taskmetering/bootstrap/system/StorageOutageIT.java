package io.taskmetering.bootstrap.system;

import io.taskmetering.adapter.marketplace.FakeMarketplace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
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

import static io.taskmetering.bootstrap.system.SystemTests.OPEN_GRACE;
import static io.taskmetering.bootstrap.system.SystemTests.await;
import static io.taskmetering.bootstrap.system.SystemTests.env;
import static io.taskmetering.bootstrap.system.SystemTests.outcome;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL stops under a running service and its clients, and starts again on the same port and data:
 * <ul>
 *   <li>while it is gone every request that needs storage answers 503 with {@code Retry-After} (writes and reads),
 *       {@code /ready} answers 503, {@code /health} stays 200 until the outage outlasts
 *       {@code METERING_STORAGE_LIVENESS_LIMIT} and then answers 503 for the orchestrator;</li>
 *   <li>once it is back the service serves again without a restart (the pool reconnects);</li>
 *   <li>every outcome acknowledged before, during and after is stored, and the clients' re-sends of the refused ones
 *       (same correlation id) store each exactly once — checked in the database.</li>
 * </ul>
 */
class StorageOutageIT {
    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String LIVENESS_LIMIT = "PT40S";

    /** One outcome a client sent and the answer: a status, or -1 for no answer. */
    record Sent(String correlationId, String taskId, Map<String, Object> body, int status) {
        boolean acknowledged() {
            return status == 200 || status == 201;
        }
    }

    @Test
    void theServiceAnswers503WhilePostgresIsGoneAndRecoversWithoutRestart(@TempDir Path dataDirectory) throws Exception {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.in(dataDirectory.resolve("pgdata"));
             FakeMarketplace marketplace = new FakeMarketplace()) {
            SystemTests.Database db = postgres.newDatabase("outage");
            Map<String, String> env = env(db, marketplace, OPEN_GRACE, "outage-a");
            env.put("METERING_STORAGE_LIVENESS_LIMIT", LIVENESS_LIMIT);
            String sub = SystemTests.subscription();
            Instant hour = SystemTests.previousHour();
            ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Api.Response> refusals = new ConcurrentLinkedQueue<>();

            try (ServiceProcess service = ServiceProcess.serve("storage-outage", env).awaitReady()) {
                Api agent = Api.agent(service);
                Api reader = Api.reader(service);
                AtomicInteger next = new AtomicInteger();
                AtomicBoolean stop = new AtomicBoolean();
                ExecutorService clients = Executors.newFixedThreadPool(3);
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < 3; w++) {
                    workers.add(clients.submit(() -> {
                        while (!stop.get()) {
                            int n = next.getAndIncrement();
                            Map<String, Object> body = outcome(sub, "task-" + n, "cid-" + n, hour.plusSeconds(n % 3600), true);
                            int status;
                            try {
                                Api.Response r = agent.tryPost("/v1/outcomes", body);
                                status = r.status();
                                if (status == 503) {
                                    refusals.add(r);
                                }
                            } catch (IOException e) {
                                status = -1;
                            }
                            sent.add(new Sent("cid-" + n, "task-" + n, body, status));
                        }
                        return null;
                    }));
                }
                await("30 acknowledged outcomes", Duration.ofSeconds(60),
                        () -> sent.stream().filter(Sent::acknowledged).count() >= 30 ? true : null);

                postgres.stop();
                await("outcomes refused with 503", Duration.ofSeconds(60), () -> refusals.size() >= 3 ? true : null);
                Api.Response read = reader.get("/v1/charges?subscription_ref=" + sub);
                assertThat(read.status()).as(read.toString()).isEqualTo(503);
                for (Api.Response r : List.of(read, refusals.peek())) {
                    assertThat(r.header("Retry-After")).as(r.toString()).isEqualTo("1");
                    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
                }
                assertThat(status(service, "/ready")).isEqualTo(503);
                assertThat(status(service, "/health")).as("a short outage is not a reason to restart").isEqualTo(200);
                await("/health 503 once the outage outlasts " + LIVENESS_LIMIT, Duration.ofSeconds(90),
                        () -> status(service, "/health") == 503 ? true : null);

                postgres.restart();
                await("ready again", Duration.ofSeconds(60), () -> status(service, "/ready") == 200 ? true : null);
                assertThat(status(service, "/health")).isEqualTo(200);
                int recovered = sent.size();
                await("outcomes acknowledged again", Duration.ofSeconds(60),
                        () -> sent.stream().skip(recovered).filter(Sent::acknowledged).count() >= 30 ? true : null);
                stop.set(true);
                for (Future<?> worker : workers) {
                    worker.get(60, TimeUnit.SECONDS);
                }
                clients.shutdown();

                assertThat(sent).extracting(Sent::status).allMatch(st -> st == 200 || st == 201 || st == 503);
                for (Sent s : sent) {
                    if (!s.acknowledged()) {
                        Api.Response again = agent.post("/v1/outcomes", s.body());
                        assertThat(again.status()).as("re-sent %s: %s", s.correlationId(), again).isIn(200, 201);
                    }
                }
                String log = service.stderr();
                assertThat(log).contains("event=storage_unavailable").contains("event=storage_available")
                        .doesNotContain("request failed:");
                assertThat(service.stop()).isEqualTo(143);
            }

            Map<String, String> charges = new HashMap<>();
            try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT task_id, correlation_id FROM charges")) {
                while (rs.next()) {
                    assertThat(charges.put(rs.getString(1), rs.getString(2))).as("%s charged twice", rs.getString(1))
                            .isNull();
                }
            }
            for (Sent s : sent) {
                assertThat(charges).as("charge of %s", s.taskId()).containsEntry(s.taskId(), s.correlationId());
            }
            assertThat(charges).hasSize(sent.size());
        }
    }

    private static int status(ServiceProcess service, String path) {
        try {
            return PROBE.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
