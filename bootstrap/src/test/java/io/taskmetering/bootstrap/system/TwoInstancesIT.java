package io.taskmetering.bootstrap.system;

import io.taskmetering.adapter.marketplace.FakeMarketplace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.taskmetering.bootstrap.system.SystemTests.DIMENSION;
import static io.taskmetering.bootstrap.system.SystemTests.OPEN_GRACE;
import static io.taskmetering.bootstrap.system.SystemTests.await;
import static io.taskmetering.bootstrap.system.SystemTests.env;
import static io.taskmetering.bootstrap.system.SystemTests.outcome;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the jar on one PostgreSQL, no load balancer: clients alternate between them. Every task is
 * reported to one instance and retried on the other (a duplicate across instances), some requests are re-sent to
 * the other instance under the same correlation id (a replay across instances). Then both are restarted with the
 * grace that makes the hour due (see {@link SystemTests}); their schedulers run every second and the test also asks
 * both to submit at once, while the fake Marketplace answers slowly to widen the race. Each hour key reaches the
 * Marketplace exactly once (no Duplicate answers at all), and every quantity, and so the total, is exact.
 */
class TwoInstancesIT {
    private static final int SUBSCRIPTIONS = 30; // more than one batch of 25
    /** When the hour becomes due for the restarted pair: time enough for both to start. */
    private static final Duration DUE_AFTER = Duration.ofSeconds(10);
    private static EmbeddedPostgresServer postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = EmbeddedPostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    record Request(int instance, Map<String, Object> body) {
    }

    @Test
    void eachHourIsSubmittedOnceAndTotalsAreExact() throws Exception {
        try (FakeMarketplace marketplace = new FakeMarketplace()) {
            SystemTests.Database db = postgres.newDatabase("pair");
            Instant hour = SystemTests.previousHour();
            Map<String, Integer> expected = new LinkedHashMap<>();
            List<Request> requests = new ArrayList<>();
            for (int s = 0; s < SUBSCRIPTIONS; s++) {
                String sub = SystemTests.subscription();
                int billable = 0;
                for (int t = 0; t < 2 + s % 6; t++) {
                    boolean ok = t % 5 != 4;
                    billable += ok ? 1 : 0;
                    Instant at = hour.plusSeconds(60L * t + s);
                    String task = "task-" + t;
                    int first = (s + t) % 2;
                    Map<String, Object> report = outcome(sub, task, sub + "-" + task, at, ok);
                    requests.add(new Request(first, report));
                    // a retry of the same task on the other instance, under its own correlation id
                    requests.add(new Request(1 - first, outcome(sub, task, sub + "-" + task + "-retry", at.plusSeconds(5), ok)));
                    if (t % 3 == 0) {
                        // the very same request re-sent to the other instance
                        requests.add(new Request(1 - first, report));
                    }
                }
                expected.put(sub, billable);
            }
            Collections.shuffle(requests, new Random(6));

            List<ServiceProcess> pair = List.of(
                    ServiceProcess.serve("pair-a", env(db, marketplace, OPEN_GRACE, "pair-a")),
                    ServiceProcess.serve("pair-b", env(db, marketplace, OPEN_GRACE, "pair-b")));
            try {
                pair.forEach(ServiceProcess::awaitReady);
                List<Api> agents = pair.stream().map(Api::agent).toList();
                Map<String, List<Map<String, Object>>> answersByTask = new ConcurrentHashMap<>();
                ExecutorService clients = Executors.newFixedThreadPool(6);
                List<Future<?>> sends = new ArrayList<>();
                for (Request request : requests) {
                    sends.add(clients.submit(() -> {
                        Api.Response r = agents.get(request.instance()).post("/v1/outcomes", request.body());
                        assertThat(r.status()).as("%s", r).isIn(200, 201);
                        String key = request.body().get("subscription_ref") + "/" + request.body().get("task_id");
                        answersByTask.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add(r.json());
                        return null;
                    }));
                }
                for (Future<?> send : sends) {
                    send.get(120, TimeUnit.SECONDS);
                }
                clients.shutdown();
                // Whichever instance saw a task first charged it; every other report of it is a duplicate or a replay.
                answersByTask.forEach((task, answers) -> {
                    long charged = answers.stream().filter(a -> a.get("charge_state") != null
                            && !Boolean.TRUE.equals(a.get("duplicate")) && !Boolean.TRUE.equals(a.get("replayed"))).count();
                    boolean billable = answers.stream().anyMatch(a -> Long.valueOf(1).equals(a.get("billable_units")));
                    assertThat(charged).as("charges created for %s", task).isEqualTo(billable ? 1 : 0);
                });
                pair.forEach(p -> p.signalTerm());
                pair.forEach(p -> assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(143));
            } finally {
                pair.forEach(ServiceProcess::close);
            }

            // Restart both with a grace that makes the hour due a few seconds after they are up, so that both
            // schedulers (every second) and the test's concurrent submit calls on both instances compete for it.
            marketplace.delayResponses(Duration.ofMillis(300));
            Instant due = Instant.now().plus(DUE_AFTER);
            String grace = Duration.between(hour.plus(Duration.ofHours(1)), due).toString();
            List<ServiceProcess> closing = new ArrayList<>();
            for (String name : List.of("pair-a2", "pair-b2")) {
                Map<String, String> env = env(db, marketplace, grace, name);
                env.put("METERING_SUBMIT_INTERVAL", "PT1S");
                closing.add(ServiceProcess.serve(name, env));
            }
            try {
                closing.forEach(ServiceProcess::awaitReady);
                boolean bothUpInTime = Instant.now().isBefore(due);
                ExecutorService admins = Executors.newFixedThreadPool(2);
                List<Future<Api.Response>> submits = new ArrayList<>();
                for (ServiceProcess instance : closing) {
                    submits.add(admins.submit(() -> {
                        await("the hour to become due", DUE_AFTER.plusSeconds(5),
                                () -> Instant.now().isAfter(due) ? true : null);
                        Api.Response last = null;
                        for (int round = 0; round < 3; round++) {
                            last = Api.admin(instance).post("/v1/usage-events/submit", null).expect(200);
                        }
                        return last;
                    }));
                }
                for (Future<Api.Response> submit : submits) {
                    submit.get(120, TimeUnit.SECONDS);
                }
                admins.shutdown();
                Api reader = Api.reader(closing.get(0));
                Map<String, Map<String, Object>> events = await("every usage event of the hour ACCEPTED",
                        Duration.ofSeconds(60), () -> {
                            Map<String, Map<String, Object>> e = SystemTests.usageEvents(reader, hour);
                            return e.size() == SUBSCRIPTIONS && e.values().stream().allMatch(v -> "ACCEPTED".equals(v.get("status")))
                                    ? e : null;
                        });

                assertThat(marketplace.problems()).isEmpty();
                assertThat(marketplace.arrivals()).hasSize(SUBSCRIPTIONS).allMatch(a -> a.status().equals("Accepted"));
                Map<String, Long> arrivalsPerKey = marketplace.arrivals().stream()
                        .collect(Collectors.groupingBy(FakeMarketplace.Arrival::key, Collectors.counting()));
                assertThat(arrivalsPerKey.values()).allMatch(n -> n == 1L);
                BigDecimal total = BigDecimal.ZERO;
                for (Map.Entry<String, Integer> e : expected.entrySet()) {
                    String key = FakeMarketplace.key(e.getKey(), DIMENSION, hour.toString());
                    assertThat(marketplace.ledger.get(key).quantity()).as("quantity of %s", e.getKey())
                            .isEqualByComparingTo(BigDecimal.valueOf(e.getValue()));
                    assertThat(events.get(e.getKey()).get("quantity")).isEqualTo((long) e.getValue());
                    assertThat(events.get(e.getKey()).get("attempts")).isEqualTo(1L);
                    total = total.add(marketplace.ledger.get(key).quantity());
                }
                int expectedTotal = expected.values().stream().mapToInt(Integer::intValue).sum();
                assertThat(total).isEqualByComparingTo(BigDecimal.valueOf(expectedTotal));

                Map<Object, Long> billablePerSubscription = new HashMap<>(reader.all("/v1/charges?state=BILLABLE").stream()
                        .collect(Collectors.groupingBy(c -> c.get("subscription_ref"), Collectors.counting())));
                Map<Object, Long> want = new HashMap<>();
                expected.forEach((sub, n) -> want.put(sub, (long) n));
                assertThat(billablePerSubscription).isEqualTo(want);
                assertThat(reader.all("/v1/charges?state=QUALIFIED")).isEmpty();
                assertThat(reader.all("/v1/anomalies")).isEmpty();
                System.out.printf("two instances: both up before the hour was due: %s; submissions recorded by %s%n",
                        bothUpInTime, closing.stream().collect(Collectors.toMap(ServiceProcess::name,
                                p -> p.stderr().split("usage event submission recorded", -1).length - 1)));
                for (ServiceProcess instance : closing) {
                    instance.signalTerm();
                }
                for (ServiceProcess instance : closing) {
                    instance.awaitExit(Duration.ofSeconds(60));
                    assertThat(instance.stderr()).doesNotContain("level=ERROR");
                }
            } finally {
                closing.forEach(ServiceProcess::close);
            }
        }
    }
}
