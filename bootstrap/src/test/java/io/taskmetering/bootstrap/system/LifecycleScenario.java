package io.taskmetering.bootstrap.system;

import io.taskmetering.adapter.marketplace.FakeMarketplace;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.taskmetering.bootstrap.system.SystemTests.CLOSING_GRACE;
import static io.taskmetering.bootstrap.system.SystemTests.DIMENSION;
import static io.taskmetering.bootstrap.system.SystemTests.OPEN_GRACE;
import static io.taskmetering.bootstrap.system.SystemTests.PLAN;
import static io.taskmetering.bootstrap.system.SystemTests.await;
import static io.taskmetering.bootstrap.system.SystemTests.env;
import static io.taskmetering.bootstrap.system.SystemTests.outcome;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole life of a charge through the real jar, over HTTP only, against a fake Marketplace on real HTTP:
 * outcomes (billable, failed, a retry of a billed task, a re-sent request) → an hourly cap holds two of them for
 * review, with anomalies → one approved, one rejected → the hour closes → one usage event per subscription goes to
 * the Marketplace (token endpoint, then {@code /batchUsageEvent}) → the hour's charges become BILLABLE → a late
 * outcome is billed in the current hour, a late retry is a duplicate → a dispute is reversed into a credit visible
 * in {@code /v1/credits}, another is upheld → a second submit sends nothing.
 *
 * <p>Runs once per database ({@link H2LifecycleIT}, {@link PostgresLifecycleIT}). The hour is closed by restarting
 * with a shorter grace (see {@link SystemTests}): phase one with {@code METERING_HOUR_GRACE=PT2H}, where the previous
 * hour is open and {@code submit} must close nothing; phase two with {@code PT0S} on the same database, where it is
 * due.
 */
abstract class LifecycleScenario {

    /** A fresh, empty database for one test. */
    abstract SystemTests.Database database(String name);

    @Test
    void outcomesAreHeldReviewedSubmittedOnceInvoicedDisputedAndCredited() {
        try (FakeMarketplace marketplace = new FakeMarketplace()) {
            SystemTests.Database db = database("lifecycle");
            Instant hour = SystemTests.previousHour();
            Instant at = hour.plus(Duration.ofMinutes(5));
            String s1 = SystemTests.subscription();
            String s2 = SystemTests.subscription();

            Map<String, String> open = env(db, marketplace, OPEN_GRACE, "lifecycle-open");
            open.put("METERING_CAP_HOURLY", "3");
            try (ServiceProcess service = ServiceProcess.serve("lifecycle-open", open).awaitReady()) {
                Api agent = Api.agent(service);
                Api reader = Api.reader(service);
                Api admin = Api.admin(service);

                // Five billable tasks of s1 in one hour: the hourly cap of 3 holds the fourth and fifth for review.
                for (int i = 1; i <= 5; i++) {
                    Map<String, Object> r = agent.post("/v1/outcomes", outcome(s1, "task-" + i, "cid-" + i,
                            at.plusSeconds(i), true)).expect(201).json();
                    assertThat(r.get("billable_units")).isEqualTo(1L);
                    assertThat(r.get("billing_hour")).isEqualTo(hour.toString());
                    assertThat(r.get("late")).isEqualTo(false);
                    assertThat(r.get("charge_state")).isEqualTo(i <= 3 ? "QUALIFIED" : "PENDING_REVIEW");
                }
                // A failed attempt is evaluated and stored, never charged.
                Map<String, Object> failed = agent.post("/v1/outcomes", outcome(s1, "task-6", "cid-6", at, false))
                        .expect(201).json();
                assertThat(failed.get("billable_units")).isEqualTo(0L);
                assertThat(failed.get("charge_state")).isNull();
                assertThat(failed.get("reason_codes").toString()).contains("terminal_success:failed");
                // A retry of a charged task under a new correlation id: a duplicate pointing at the first charge.
                Map<String, Object> retry = agent.post("/v1/outcomes", outcome(s1, "task-1", "cid-1-retry",
                        at.plusSeconds(30), true)).expect(200).json();
                assertThat(retry.get("duplicate")).isEqualTo(true);
                assertThat(retry.get("charge_correlation_id")).isEqualTo("cid-1");
                // The same request sent again: the stored answer, not a second evaluation.
                Map<String, Object> replay = agent.post("/v1/outcomes", outcome(s1, "task-1", "cid-1", at.plusSeconds(1), true))
                        .expect(200).json();
                assertThat(replay.get("replayed")).isEqualTo(true);
                assertThat(replay.get("charge_state")).isEqualTo("QUALIFIED");
                // Another subscription has its own cap room.
                agent.post("/v1/outcomes", outcome(s2, "task-1", "s2-cid-1", at, true)).expect(201);

                List<Map<String, Object>> held = reader.all("/v1/reviews");
                assertThat(ids(held)).containsExactlyInAnyOrder("cid-4", "cid-5");
                assertThat(admin.post("/v1/reviews/cid-4/approve", Map.of("note", "customer confirmed the work"))
                        .expect(200).json().get("state")).isEqualTo("QUALIFIED");
                assertThat(admin.post("/v1/reviews/cid-5/reject", Map.of("note", "runaway retry loop"))
                        .expect(200).json().get("state")).isEqualTo("WAIVED");
                assertThat(reader.all("/v1/reviews")).isEmpty();

                List<Map<String, Object>> anomalies = reader.all("/v1/anomalies?type=cap_exceeded");
                assertThat(anomalies).hasSize(2).allSatisfy(a -> {
                    assertThat(a.get("subscription_ref")).isEqualTo(s1);
                    assertThat(a.get("cap_type")).isEqualTo("hourly");
                    assertThat(a.get("cap_value")).isEqualTo(3L);
                });
                assertThat(anomalies.stream().map(a -> a.get("task_id")).collect(Collectors.toSet()))
                        .containsExactlyInAnyOrder("task-4", "task-5");
                assertThat(anomalies.stream().map(a -> a.get("correlation_id")).collect(Collectors.toSet()))
                        .containsExactlyInAnyOrder("cid-4", "cid-5");

                // Under PT2H the hour is not due: submit closes nothing and the Marketplace hears nothing.
                Map<String, Object> early = admin.post("/v1/usage-events/submit", null).expect(200).json();
                assertThat((List<?>) early.get("closed")).isEmpty();
                assertThat((List<?>) early.get("submissions")).isEmpty();
                assertThat(reader.all("/v1/usage-events")).isEmpty();
                assertThat(marketplace.arrivals()).isEmpty();

                service.stop();
                assertThat(service.stderr()).contains("event=stopped").doesNotContain("level=ERROR");
            }

            Map<String, String> closing = env(db, marketplace, CLOSING_GRACE, "lifecycle-closing");
            closing.put("METERING_CAP_HOURLY", "3");
            try (ServiceProcess service = ServiceProcess.serve("lifecycle-closing", closing).awaitReady()) {
                Api agent = Api.agent(service);
                Api reader = Api.reader(service);
                Api admin = Api.admin(service);

                // The hour is due now: the scheduler's start-up run or this call closes and submits it.
                admin.post("/v1/usage-events/submit", null).expect(200);
                Map<String, Map<String, Object>> events = await("both usage events of the hour ACCEPTED",
                        Duration.ofSeconds(30), () -> {
                            Map<String, Map<String, Object>> e = SystemTests.usageEvents(reader, hour);
                            boolean done = e.size() == 2 && e.values().stream().allMatch(v -> "ACCEPTED".equals(v.get("status")));
                            return done ? e : null;
                        });
                assertThat(events.get(s1).get("quantity")).isEqualTo(4L);
                assertThat(events.get(s2).get("quantity")).isEqualTo(1L);
                assertThat(events.values()).allSatisfy(e -> {
                    assertThat(e.get("plan_id")).isEqualTo(PLAN);
                    assertThat(e.get("dimension")).isEqualTo(DIMENSION);
                });

                // The fake Marketplace received each hour once, as documented, with a token from the token endpoint.
                String k1 = FakeMarketplace.key(s1, DIMENSION, hour.toString());
                String k2 = FakeMarketplace.key(s2, DIMENSION, hour.toString());
                assertThat(marketplace.problems()).isEmpty();
                assertThat(marketplace.tokenRequests.get()).isGreaterThanOrEqualTo(1);
                assertThat(marketplace.arrivals()).hasSize(2).allSatisfy(a -> {
                    assertThat(a.status()).isEqualTo("Accepted");
                    assertThat(a.planId()).isEqualTo(PLAN);
                    assertThat(a.requestId()).isNotBlank();
                    assertThat(a.correlationId()).isNotBlank();
                });
                assertThat(marketplace.ledger.get(k1).quantity()).isEqualByComparingTo(BigDecimal.valueOf(4));
                assertThat(marketplace.ledger.get(k2).quantity()).isEqualByComparingTo(BigDecimal.ONE);
                assertThat(events.get(s1).get("usage_event_id")).isEqualTo(marketplace.ledger.get(k1).usageEventId());

                assertThat(ids(reader.all("/v1/charges?subscription_ref=" + s1 + "&state=BILLABLE")))
                        .containsExactlyInAnyOrder("cid-1", "cid-2", "cid-3", "cid-4");
                assertThat(ids(reader.all("/v1/charges?subscription_ref=" + s1 + "&state=WAIVED")))
                        .containsExactly("cid-5");
                assertThat(ids(reader.all("/v1/charges?subscription_ref=" + s2 + "&state=BILLABLE")))
                        .containsExactly("s2-cid-1");

                // An outcome of the closed hour that arrives now is billed late in the oldest open hour.
                Map<String, Object> late = agent.post("/v1/outcomes", outcome(s1, "task-8", "cid-8", at, true))
                        .expect(201).json();
                assertThat(late.get("late")).isEqualTo(true);
                assertThat(late.get("charge_state")).isEqualTo("QUALIFIED");
                assertThat(Instant.parse((String) late.get("billing_hour"))).isAfter(hour);
                // A retry of an invoiced task, hours later, is still a duplicate: a task is billed once, ever.
                Map<String, Object> lateRetry = agent.post("/v1/outcomes", outcome(s1, "task-2", "cid-2-retry",
                        Instant.now(), true)).expect(200).json();
                assertThat(lateRetry.get("duplicate")).isEqualTo(true);
                assertThat(lateRetry.get("charge_correlation_id")).isEqualTo("cid-2");

                // Dispute an invoiced charge and reverse it: the Marketplace cannot be corrected, so a credit is owed.
                assertThat(reader.post("/v1/charges/cid-2/dispute", Map.of("reason", "the customer redid the work"))
                        .expect(200).json().get("state")).isEqualTo("DISPUTED");
                assertThat(admin.post("/v1/charges/cid-2/resolve", Map.of("decision", "reverse", "note", "agreed"))
                        .expect(200).json().get("state")).isEqualTo("REVERSED");
                List<Map<String, Object>> credits = reader.all("/v1/credits?subscription_ref=" + s1);
                assertThat(credits).hasSize(1);
                assertThat(credits.get(0).get("type")).isEqualTo("CREDIT");
                assertThat(credits.get(0).get("correlation_id")).isEqualTo("cid-2");
                assertThat(credits.get(0).get("hour")).isEqualTo(hour.toString());
                assertThat(credits.get(0).get("to_state")).isEqualTo("REVERSED");
                assertThat(reader.all("/v1/credits?subscription_ref=" + s2)).isEmpty();
                // Another dispute is upheld: the charge is billable again.
                reader.post("/v1/charges/cid-3/dispute", Map.of("reason", "not ours")).expect(200);
                assertThat(admin.post("/v1/charges/cid-3/resolve", Map.of("decision", "uphold"))
                        .expect(200).json().get("state")).isEqualTo("BILLABLE");
                // A second reverse of the same charge is refused, naming the state.
                admin.post("/v1/charges/cid-2/resolve", Map.of("decision", "reverse")).expect(409);

                // The audit bundle explains the reversed charge end to end.
                Map<String, Object> audit = reader.get("/v1/audit/cid-2").expect(200).json();
                assertThat(((Map<?, ?>) audit.get("charge")).get("state")).isEqualTo("REVERSED");
                assertThat(((Map<?, ?>) audit.get("usage_event")).get("status")).isEqualTo("ACCEPTED");
                assertThat((List<?>) audit.get("submission_attempts")).isNotEmpty();
                assertThat(((List<?>) audit.get("history")).stream().map(e -> (Object) ((Map<?, ?>) e).get("to_state")).toList())
                        .containsExactly("QUALIFIED", "BILLABLE", "DISPUTED", "REVERSED");

                // Submitting again sends nothing: the hour is settled, the late charge's hour is still open.
                Map<String, Object> again = admin.post("/v1/usage-events/submit", null).expect(200).json();
                assertThat((List<?>) again.get("submissions")).isEmpty();
                assertThat(marketplace.arrivals()).hasSize(2);

                String metrics = reader.get("/metrics").expect(200).body();
                assertThat(metrics).contains("metering_submissions_total{status=\"accepted\"} 2.0")
                        .contains("metering_charges_invoiced_total 5.0")
                        .contains("metering_duplicates_suppressed_total 1.0");
                service.stop();
                assertThat(service.stderr()).contains("event=stopped").doesNotContain("level=ERROR");
            }
        }
    }

    static Set<Object> ids(List<Map<String, Object>> items) {
        return items.stream().map(i -> i.get("correlation_id")).collect(Collectors.toSet());
    }
}
