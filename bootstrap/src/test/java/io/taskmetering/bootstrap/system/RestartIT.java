package io.taskmetering.bootstrap.system;

import io.taskmetering.adapter.marketplace.FakeMarketplace;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.taskmetering.bootstrap.system.SystemTests.CLOSING_GRACE;
import static io.taskmetering.bootstrap.system.SystemTests.DIMENSION;
import static io.taskmetering.bootstrap.system.SystemTests.OPEN_GRACE;
import static io.taskmetering.bootstrap.system.SystemTests.await;
import static io.taskmetering.bootstrap.system.SystemTests.env;
import static io.taskmetering.bootstrap.system.SystemTests.outcome;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping the service (SIGTERM, and {@code kill -9}) in the middle of a stream of ingest requests and in the middle
 * of a submission, then starting it again on the same H2 file database:
 * <ul>
 *   <li>every outcome whose 2xx answer reached the client is there after the restart; the client re-sends what was
 *       not acknowledged (same {@code correlation_id}), which is either recorded now or answered as replayed;</li>
 *   <li>no task has two charges; the hour reaches the (fake) Marketplace once, with exactly the charges in it;</li>
 *   <li>SIGTERM finishes the submission in progress (the hour is sent once and recorded ACCEPTED before exit); after
 *       {@code kill -9} the pending submission resumes once the dead instance's claim lease ran out: the same hour
 *       key is sent again, the Marketplace answers Duplicate with the same quantity, and that counts as accepted.</li>
 * </ul>
 * The previous hour is opened and closed with the grace and a restart (see {@link SystemTests}).
 */
class RestartIT {
    enum Stop {
        SIGTERM, SIGKILL;

        int apply(ServiceProcess service) {
            return this == SIGTERM ? service.stop() : service.kill();
        }
    }

    /** One request a client sent and what came back: a status, or an I/O failure (no answer). */
    record Sent(String correlationId, String taskId, boolean billable, Map<String, Object> body, int status,
                Map<String, Object> answer) {
        boolean acknowledged() {
            return status == 200 || status == 201;
        }
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void stoppingDuringIngestLosesNoAcknowledgedOutcomeAndBillsNoTaskTwice(Stop stop) throws Exception {
        try (FakeMarketplace marketplace = new FakeMarketplace()) {
            SystemTests.Database db = SystemTests.h2File("restart-ingest");
            String sub = SystemTests.subscription();
            Instant hour = SystemTests.previousHour();
            ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();

            try (ServiceProcess first = ServiceProcess.serve("ingest-" + stop, env(db, marketplace, OPEN_GRACE, "ingest-a"))
                    .awaitReady()) {
                Api agent = Api.agent(first);
                AtomicInteger next = new AtomicInteger();
                AtomicInteger acked = new AtomicInteger();
                AtomicBoolean stopping = new AtomicBoolean();
                ExecutorService clients = Executors.newFixedThreadPool(4);
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    boolean batches = w == 0;
                    workers.add(clients.submit(() -> {
                        while (true) {
                            int size = batches ? 10 : 1;
                            List<Map<String, Object>> bodies = new ArrayList<>();
                            for (int i = 0; i < size; i++) {
                                bodies.add(request(sub, hour, next.getAndIncrement()));
                            }
                            boolean connected = send(agent, bodies, batches, sent, acked);
                            if (!connected && stopping.get() || next.get() > 20_000) {
                                return null;
                            }
                        }
                    }));
                }
                await("150 acknowledged outcomes", Duration.ofSeconds(60), () -> acked.get() >= 150 ? true : null);
                stopping.set(true);
                int exit = stop.apply(first);
                for (Future<?> worker : workers) {
                    worker.get(60, TimeUnit.SECONDS);
                }
                clients.shutdown();
                assertThat(exit).isEqualTo(stop == Stop.SIGTERM ? 143 : 137);
                if (stop == Stop.SIGTERM) {
                    // Graceful: a request is answered, refused while draining (503) or not accepted at all; never a 5xx.
                    assertThat(sent).extracting(Sent::status).allMatch(s -> s == 200 || s == 201 || s == 503 || s == -1);
                    assertThat(first.stderr()).contains("event=stopped").doesNotContain("level=ERROR");
                }
            }
            List<Sent> acknowledged = sent.stream().filter(Sent::acknowledged).toList();
            List<Sent> unacknowledged = sent.stream().filter(s -> !s.acknowledged()).toList();
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(150);

            // Start again on the same file, with the grace that makes the previous hour due.
            try (ServiceProcess second = ServiceProcess.serve("ingest-" + stop + "-again",
                    env(db, marketplace, CLOSING_GRACE, "ingest-b")).awaitReady()) {
                Api agent = Api.agent(second);
                Api reader = Api.reader(second);
                for (Sent s : acknowledged) {
                    Map<String, Object> audit = reader.get("/v1/audit/" + s.correlationId()).expect(200).json();
                    assertThat(audit.get("task_id")).isEqualTo(s.taskId());
                    Object chargeState = s.answer().get("charge_state");
                    boolean charged = chargeState != null && !Boolean.TRUE.equals(s.answer().get("duplicate"));
                    if (charged) {
                        assertThat(((Map<?, ?>) audit.get("charge")).get("correlation_id"))
                                .as("charge of acknowledged %s", s.correlationId()).isEqualTo(s.correlationId());
                    }
                }
                // The client re-sends whatever it has no answer for, with the same correlation id.
                int replayed = 0;
                for (Sent s : unacknowledged) {
                    Api.Response r = agent.post("/v1/outcomes", s.body());
                    assertThat(r.status()).as("re-sent %s: %s", s.correlationId(), r).isIn(200, 201);
                    if (Boolean.TRUE.equals(r.json().get("replayed"))) {
                        replayed++;
                    }
                }
                System.out.printf("%s during ingest: %d requests, %d acknowledged, %d re-sent, of which %d had been"
                        + " recorded (answer lost)%n", stop, sent.size(), acknowledged.size(), unacknowledged.size(), replayed);

                // Exactly one charge per task that had a billable report, none for the others.
                Set<String> billableTasks = sent.stream().filter(Sent::billable).map(Sent::taskId).collect(Collectors.toSet());
                List<Map<String, Object>> charges = reader.all("/v1/charges?subscription_ref=" + sub);
                Map<Object, Long> perTask = charges.stream().collect(Collectors.groupingBy(c -> c.get("task_id"),
                        Collectors.counting()));
                assertThat(perTask.values()).allMatch(n -> n == 1L);
                assertThat(perTask.keySet()).isEqualTo(new HashSet<Object>(billableTasks));

                // The hour closes once and reaches the Marketplace once, holding exactly the charges billed in it.
                Api.admin(second).post("/v1/usage-events/submit", null).expect(200);
                Map<String, Object> event = await("the hour ACCEPTED", Duration.ofSeconds(30), () -> {
                    Map<String, Object> e = SystemTests.usageEvents(reader, hour).get(sub);
                    return e != null && "ACCEPTED".equals(e.get("status")) ? e : null;
                });
                List<Map<String, Object>> after = reader.all("/v1/charges?subscription_ref=" + sub);
                long inHour = after.stream().filter(c -> hour.toString().equals(c.get("billing_hour"))).count();
                assertThat(after.stream().filter(c -> hour.toString().equals(c.get("billing_hour"))))
                        .allMatch(c -> "BILLABLE".equals(c.get("state")));
                assertThat(after.stream().filter(c -> !hour.toString().equals(c.get("billing_hour"))))
                        .allMatch(c -> "QUALIFIED".equals(c.get("state")) && Boolean.TRUE.equals(c.get("late")));
                assertThat(event.get("quantity")).isEqualTo(inHour);
                List<FakeMarketplace.Arrival> arrivals = marketplace.arrivals(FakeMarketplace.key(sub, DIMENSION, hour.toString()));
                assertThat(arrivals).hasSize(1);
                assertThat(arrivals.get(0).quantity()).isEqualByComparingTo(BigDecimal.valueOf(inHour));
                assertThat(marketplace.arrivals()).hasSize(1);
                assertThat(marketplace.problems()).isEmpty();
                second.stop();
            }
        }
    }

    /**
     * Request {@code n} of the stream: mostly new tasks (one in seven fails), every tenth a retry of an earlier task
     * under a new correlation id (a duplicate when that task was charged).
     */
    private static Map<String, Object> request(String sub, Instant hour, int n) {
        boolean retry = n % 10 == 9;
        int task = retry ? n - 9 : n;
        boolean billable = retry || task % 7 != 3;
        return outcome(sub, "task-" + task, "cid-" + n, hour.plusSeconds(n % 3600), billable);
    }

    /** Sends one request (single or batch) and records every item; false when the service could not be reached. */
    @SuppressWarnings("unchecked")
    private static boolean send(Api agent, List<Map<String, Object>> bodies, boolean batch, ConcurrentLinkedQueue<Sent> sent,
                                AtomicInteger acked) {
        Api.Response response;
        try {
            response = batch ? agent.tryPost("/v1/outcomes/batch", SystemTests.batch(bodies))
                    : agent.tryPost("/v1/outcomes", bodies.get(0));
        } catch (IOException e) {
            bodies.forEach(b -> sent.add(sent(b, -1, Map.of())));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (!batch) {
            Sent s = sent(bodies.get(0), response.status(), response.status() < 300 ? response.json() : Map.of());
            sent.add(s);
            if (s.acknowledged()) {
                acked.incrementAndGet();
            }
            return true;
        }
        if (response.status() != 200) {
            bodies.forEach(b -> sent.add(sent(b, response.status(), Map.of())));
            return true;
        }
        List<Map<String, Object>> results = (List<Map<String, Object>>) response.json().get("results");
        for (int i = 0; i < bodies.size(); i++) {
            Map<String, Object> item = results.get(i);
            int status = ((Number) item.get("status")).intValue();
            Sent s = sent(bodies.get(i), status, item);
            sent.add(s);
            if (s.acknowledged()) {
                acked.incrementAndGet();
            }
        }
        return true;
    }

    private static Sent sent(Map<String, Object> body, int status, Map<String, Object> answer) {
        Map<?, ?> outputs = (Map<?, ?>) ((Map<?, ?>) body.get("evidence")).get("outputs");
        return new Sent((String) body.get("correlation_id"), (String) body.get("task_id"),
                "completed".equals(outputs.get("status")), body, status, answer);
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void stoppingDuringSubmissionSendsEachHourOnceOrResumesIt(Stop stop) {
        try (FakeMarketplace marketplace = new FakeMarketplace()) {
            SystemTests.Database db = SystemTests.h2File("restart-submit");
            Instant hour = SystemTests.previousHour();
            Map<String, Integer> expected = new LinkedHashMap<>();
            for (int s = 0; s < 3; s++) {
                expected.put(SystemTests.subscription(), 5 + 10 * s);
            }
            try (ServiceProcess first = ServiceProcess.serve("submit-" + stop + "-ingest",
                    env(db, marketplace, OPEN_GRACE, "submit-a")).awaitReady()) {
                Api agent = Api.agent(first);
                expected.forEach((sub, count) -> {
                    List<Map<String, Object>> outcomes = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        outcomes.add(outcome(sub, "task-" + i, sub + "-cid-" + i, hour.plusSeconds(60 + i), true));
                    }
                    Map<String, Object> r = agent.post("/v1/outcomes/batch", SystemTests.batch(outcomes)).expect(200).json();
                    assertThat((List<?>) r.get("results")).allMatch(item -> Long.valueOf(201).equals(((Map<?, ?>) item).get("status")));
                });
                first.stop();
            }

            // The hour is due for the next instance; its scheduler sends it at start-up and the Marketplace holds
            // the answer: the events have landed, the answer has not come back.
            marketplace.holdResponses();
            Map<String, String> submitting = env(db, marketplace, CLOSING_GRACE, "submit-b");
            submitting.put("METERING_SUBMIT_INTERVAL", "PT1S");
            submitting.put("METERING_CLAIM_LEASE", "PT3S");
            try (ServiceProcess second = ServiceProcess.serve("submit-" + stop + "-sending", submitting).awaitReady()) {
                marketplace.awaitHeldArrival(Duration.ofSeconds(30));
                if (stop == Stop.SIGTERM) {
                    second.signalTerm();
                    second.awaitLog("event=shutdown_requested", Duration.ofSeconds(30));
                    marketplace.release();
                    assertThat(second.awaitExit(Duration.ofSeconds(60))).isEqualTo(143);
                    assertThat(second.stderr()).contains("event=stopped").doesNotContain("level=ERROR");
                } else {
                    assertThat(second.kill()).isEqualTo(137);
                    marketplace.release();
                }
            }
            assertThat(marketplace.arrivals()).hasSize(expected.size()).allMatch(a -> a.status().equals("Accepted"));

            Map<String, String> resuming = env(db, marketplace, CLOSING_GRACE, "submit-c");
            resuming.put("METERING_SUBMIT_INTERVAL", "PT1S");
            resuming.put("METERING_CLAIM_LEASE", "PT3S");
            try (ServiceProcess third = ServiceProcess.serve("submit-" + stop + "-resuming", resuming).awaitReady()) {
                Api reader = Api.reader(third);
                if (stop == Stop.SIGTERM) {
                    // The stopped instance finished its submission: nothing is pending, nothing is sent again.
                    Map<String, Map<String, Object>> events = SystemTests.usageEvents(reader, hour);
                    assertThat(events).hasSize(expected.size());
                    assertThat(events.values()).allSatisfy(e -> {
                        assertThat(e.get("status")).isEqualTo("ACCEPTED");
                        assertThat(e.get("attempts")).isEqualTo(1L);
                    });
                    Api.admin(third).post("/v1/usage-events/submit", null).expect(200);
                    assertThat(marketplace.arrivals()).hasSize(expected.size());
                } else {
                    // The killed instance's claim runs out; the same hour keys are sent again and answered Duplicate
                    // with the same quantity: accepted under the first usageEventId, never billed twice.
                    Map<String, Map<String, Object>> events = await("the resumed submission", Duration.ofSeconds(30), () -> {
                        Map<String, Map<String, Object>> e = SystemTests.usageEvents(reader, hour);
                        return e.size() == expected.size() && e.values().stream().allMatch(v -> "ACCEPTED".equals(v.get("status")))
                                ? e : null;
                    });
                    for (String sub : expected.keySet()) {
                        String key = FakeMarketplace.key(sub, DIMENSION, hour.toString());
                        assertThat(marketplace.arrivals(key)).extracting(FakeMarketplace.Arrival::status)
                                .containsExactly("Accepted", "Duplicate");
                        assertThat(events.get(sub).get("usage_event_id")).isEqualTo(marketplace.ledger.get(key).usageEventId());
                    }
                    assertThat(reader.all("/v1/anomalies")).isEmpty();
                }
                for (Map.Entry<String, Integer> e : expected.entrySet()) {
                    String key = FakeMarketplace.key(e.getKey(), DIMENSION, hour.toString());
                    assertThat(marketplace.ledger.get(key).quantity()).isEqualByComparingTo(BigDecimal.valueOf(e.getValue()));
                    List<Map<String, Object>> charges = reader.all("/v1/charges?subscription_ref=" + e.getKey());
                    assertThat(charges).hasSize(e.getValue()).allMatch(c -> "BILLABLE".equals(c.get("state")));
                }
                assertThat(marketplace.problems()).isEmpty();
                third.stop();
            }
        }
    }

}
