package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskmetering.application.service.BillingPolicy;
import io.taskmetering.domain.billing.GuardrailCaps;
import io.taskmetering.domain.common.PlanId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static io.taskmetering.adapter.rest.Bodies.heldOutcome;
import static io.taskmetering.adapter.rest.Bodies.map;
import static io.taskmetering.adapter.rest.Bodies.outcome;
import static io.taskmetering.adapter.rest.Bodies.with;
import static io.taskmetering.adapter.rest.TestApp.ADMIN;
import static io.taskmetering.adapter.rest.TestApp.ADMIN_A;
import static io.taskmetering.adapter.rest.TestApp.AGENT_A;
import static io.taskmetering.adapter.rest.TestApp.AGENT_B;
import static io.taskmetering.adapter.rest.TestApp.READER_A;
import static io.taskmetering.adapter.rest.TestApp.READER_B;
import static io.taskmetering.adapter.rest.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Charges, reviews, disputes, credits, anomalies and usage events, with a cap of 3 per hour for sub-cap. */
class ChargeApiTest {
    @RegisterExtension
    static final TestApp app = new TestApp(RestConfig.withKeys(TestApp.keys()), BillingPolicy.defaults(PlanId.of("plan-basic"))
            .withCaps(GuardrailCaps.unlimited().withOverride(io.taskmetering.domain.common.SubscriptionRef.of("sub-cap"),
                    new io.taskmetering.domain.billing.CapLimits(3, 0))));

    private static void record(String task, String subscription, String correlationId, String key) {
        record(app, task, subscription, correlationId, key);
    }

    private static void record(TestApp on, String task, String subscription, String correlationId, String key) {
        var r = on.post("/v1/outcomes", key, json(with(outcome(task, subscription), "correlation_id", correlationId)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    @Test
    void charges_page_with_a_cursor_and_filter_by_state() {
        for (int i = 0; i < 5; i++) {
            record("page-" + i, "sub-page", "corr-page-" + i, ADMIN);
        }
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            var r = app.get("/v1/charges?subscription_ref=sub-page&limit=2" + (cursor == null ? "" : "&cursor=" + cursor), ADMIN);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonNode data = r.json().path("data");
            assertThat(data.size()).isLessThanOrEqualTo(2);
            data.forEach(c -> assertThat(seen.add(c.path("correlation_id").asText())).isTrue());
            cursor = r.json().path("next_cursor").isNull() ? null : r.json().path("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).hasSize(5);
        assertThat(pages).isGreaterThanOrEqualTo(3);

        var qualified = app.get("/v1/charges?subscription_ref=sub-page&state=QUALIFIED", ADMIN);
        assertThat(qualified.json().path("data")).hasSize(5);
        assertThat(qualified.json().path("data").get(0).path("state").asText()).isEqualTo("QUALIFIED");
        assertThat(app.get("/v1/charges?subscription_ref=sub-page&state=WAIVED", ADMIN).json().path("data")).isEmpty();
        assertThat(app.get("/v1/charges?subscription_ref=sub-page&from=2026-03-02T11:00:00Z", ADMIN).json().path("data")).isEmpty();
    }

    @Test
    void listing_parameters_are_checked() {
        assertThat(app.get("/v1/charges?state=NOPE", ADMIN).status()).isEqualTo(422);
        assertThat(app.get("/v1/charges?limit=0", ADMIN).errorFields()).containsExactly("limit");
        assertThat(app.get("/v1/charges?limit=abc", ADMIN).status()).isEqualTo(400);
        assertThat(app.get("/v1/charges?from=2026-03-02T10:00:00", ADMIN).errorFields()).containsExactly("from");
        assertThat(app.get("/v1/charges?subscription=sub-a", ADMIN).errorFields()).containsExactly("subscription");
        assertThat(app.get("/v1/charges?from=2026-03-03T00:00:00Z&to=2026-03-02T00:00:00Z", ADMIN).status()).isEqualTo(422);
    }

    @Test
    void a_held_charge_is_listed_for_review_and_approved_by_an_admin() {
        var held = app.post("/v1/outcomes", AGENT_A, json(with(heldOutcome("rev-1", "sub-a"), "correlation_id", "corr-rev-1")));
        assertThat(held.json().path("charge_state").asText()).isEqualTo("PENDING_REVIEW");
        var reviews = app.get("/v1/reviews?subscription_ref=sub-a", READER_A);
        assertThat(reviews.status()).isEqualTo(200);
        assertThat(reviews.text()).contains("corr-rev-1");
        assertThat(reviews.json().path("data").get(0).path("hold_reasons").get(0).asText()).isEqualTo("human_handoff");

        // readers and agents may not review
        assertThat(app.post("/v1/reviews/corr-rev-1/approve", READER_A, null).status()).isEqualTo(403);
        assertThat(app.post("/v1/reviews/corr-rev-1/approve", AGENT_A, null).status()).isEqualTo(403);

        var approved = app.post("/v1/reviews/corr-rev-1/approve", ADMIN_A, json(map("note", "checked the hand-off")));
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        assertThat(approved.json().path("state").asText()).isEqualTo("QUALIFIED");
        var history = app.get("/v1/audit/corr-rev-1", READER_A).json().path("history");
        assertThat(history.get(1).path("actor").asText()).isEqualTo("admin-a");
        assertThat(history.get(1).path("reason").asText()).isEqualTo("checked the hand-off");

        // approving again is an illegal transition that names the current state
        var again = app.post("/v1/reviews/corr-rev-1/approve", ADMIN, null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("detail").asText()).contains("QUALIFIED");
        assertThat(again.errorFields()).containsExactly("state");
    }

    @Test
    void a_held_charge_can_be_rejected_and_is_then_waived() {
        app.post("/v1/outcomes", AGENT_A, json(with(heldOutcome("rev-2", "sub-a"), "correlation_id", "corr-rev-2")));
        var rejected = app.post("/v1/reviews/corr-rev-2/reject", ADMIN, json(map("note", "not ours")));
        assertThat(rejected.status()).isEqualTo(200);
        assertThat(rejected.json().path("state").asText()).isEqualTo("WAIVED");
    }

    @Test
    void reviewing_an_unknown_charge_is_404_and_a_foreign_one_403() {
        assertThat(app.post("/v1/reviews/corr-none/approve", ADMIN, null).status()).isEqualTo(404);
        app.post("/v1/outcomes", AGENT_B, json(with(heldOutcome("rev-b", "sub-b"), "correlation_id", "corr-rev-b")));
        assertThat(app.post("/v1/reviews/corr-rev-b/approve", ADMIN_A, null).status()).isEqualTo(403);
        assertThat(app.get("/v1/charges?subscription_ref=sub-b&state=PENDING_REVIEW", ADMIN).text()).contains("corr-rev-b");
    }

    @Test
    void a_dispute_is_opened_by_the_customer_and_resolved_by_an_admin() {
        record("disp-1", "sub-a", "corr-disp-1", AGENT_A);
        assertThat(app.post("/v1/charges/corr-disp-1/dispute", AGENT_A, json(map("reason", "x"))).status()).isEqualTo(403);
        assertThat(app.post("/v1/charges/corr-disp-1/dispute", READER_B, json(map("reason", "x"))).status()).isEqualTo(403);
        assertThat(app.post("/v1/charges/corr-disp-1/dispute", READER_A, json(map())).errorFields()).containsExactly("reason");

        var disputed = app.post("/v1/charges/corr-disp-1/dispute", READER_A, json(map("reason", "the report was empty")));
        assertThat(disputed.status()).as(disputed.toString()).isEqualTo(200);
        assertThat(disputed.json().path("state").asText()).isEqualTo("DISPUTED");
        assertThat(disputed.json().path("disputed_from").asText()).isEqualTo("QUALIFIED");

        assertThat(app.post("/v1/charges/corr-disp-1/resolve", READER_A, json(map("decision", "reverse"))).status()).isEqualTo(403);
        assertThat(app.post("/v1/charges/corr-disp-1/resolve", ADMIN, json(map("decision", "maybe"))).errorFields())
                .containsExactly("decision");
        var resolved = app.post("/v1/charges/corr-disp-1/resolve", ADMIN, json(map("decision", "uphold", "note", "report was fine")));
        assertThat(resolved.status()).as(resolved.toString()).isEqualTo(200);
        assertThat(resolved.json().path("state").asText()).isEqualTo("QUALIFIED");

        // resolving what is not disputed is 409 naming the current state
        var illegal = app.post("/v1/charges/corr-disp-1/resolve", ADMIN, json(map("decision", "reverse")));
        assertThat(illegal.status()).isEqualTo(409);
        assertThat(illegal.json().path("detail").asText()).contains("QUALIFIED");
    }

    @Test
    void reversing_an_invoiced_charge_is_a_credit_owed() {
        // its own stack: closing hours changes what every later outcome of the same hours does
        try (TestApp app = new TestApp().start()) {
            app.clock.setTo(TestApp.START.plus(Duration.ofDays(1)));
            record(app, "credit-1", "sub-credit", "corr-credit-1", ADMIN);
            app.clock.advance(Duration.ofHours(1));
            var submit = app.post("/v1/usage-events/submit", ADMIN, null);
            assertThat(submit.status()).as(submit.toString()).isEqualTo(200);
            assertThat(submit.json().path("closed").toString()).contains("sub-credit");
            assertThat(submit.json().path("submissions").toString()).contains("ACCEPTED");
            assertThat(submit.json().path("charges_invoiced").asLong()).isPositive();

            var events = app.get("/v1/usage-events?subscription_ref=sub-credit", ADMIN);
            assertThat(events.status()).isEqualTo(200);
            JsonNode event = events.json().path("data").get(0);
            assertThat(event.path("quantity").asLong()).isEqualTo(1);
            assertThat(event.path("status").asText()).isEqualTo("ACCEPTED");
            assertThat(event.path("hour").asText()).isEqualTo("2026-03-03T10:00:00Z");
            assertThat(event.path("plan_id").asText()).isEqualTo("plan-basic");
            assertThat(app.get("/v1/usage-events?status=PENDING&subscription_ref=sub-credit", ADMIN).json().path("data")).isEmpty();

            app.post("/v1/charges/corr-credit-1/dispute", ADMIN, json(map("reason", "wrong")));
            var reversed = app.post("/v1/charges/corr-credit-1/resolve", ADMIN, json(map("decision", "reverse")));
            assertThat(reversed.json().path("state").asText()).isEqualTo("REVERSED");
            var credits = app.get("/v1/credits?subscription_ref=sub-credit", ADMIN);
            assertThat(credits.status()).isEqualTo(200);
            assertThat(credits.json().path("data").get(0).path("type").asText()).isEqualTo("CREDIT");
            assertThat(credits.json().path("data").get(0).path("correlation_id").asText()).isEqualTo("corr-credit-1");
            assertThat(app.get("/metrics", null).text()).contains("metering_submissions_total{status=\"accepted\"}");
        }
    }

    @Test
    void submit_names_the_due_hours_another_worker_is_sending_and_until_when() {
        try (TestApp app = new TestApp().start()) {
            app.clock.setTo(TestApp.START.plus(Duration.ofDays(2)));
            record(app, "inflight-1", "sub-inflight", "corr-inflight-1", ADMIN);
            app.clock.advance(Duration.ofHours(1));
            app.useCases.closeHours().closeDueHours(io.taskmetering.application.port.in.CloseHoursCommand.defaults());
            Instant claimedAt = app.clock.instant();
            app.persistence.ports().unitOfWork().inTransaction(() -> app.persistence.ports().claimUsageEvents()
                    .claimDueUsageEvents(10, claimedAt, Duration.ofMinutes(5), "scheduler-on-other-node"));

            var submit = app.post("/v1/usage-events/submit", ADMIN, null);
            assertThat(submit.status()).as(submit.toString()).isEqualTo(200);
            assertThat(submit.json().path("submissions")).isEmpty();
            JsonNode inFlight = submit.json().path("in_flight_elsewhere");
            assertThat(inFlight).hasSize(1);
            assertThat(inFlight.get(0).path("subscription_ref").asText()).isEqualTo("sub-inflight");
            assertThat(inFlight.get(0).path("hour").asText()).isEqualTo("2026-03-04T10:00:00Z");
            assertThat(inFlight.get(0).path("claimed_by").asText()).isEqualTo("scheduler-on-other-node");
            assertThat(inFlight.get(0).path("claimed_until").asText())
                    .isEqualTo(claimedAt.plus(Duration.ofMinutes(5)).toString());

            app.clock.advance(Duration.ofMinutes(5));
            var takenOver = app.post("/v1/usage-events/submit", ADMIN, null);
            assertThat(takenOver.json().path("in_flight_elsewhere")).isEmpty();
            assertThat(takenOver.json().path("submissions").toString()).contains("ACCEPTED");
        }
    }

    @Test
    void submit_is_for_unscoped_admins_only() {
        assertThat(app.post("/v1/usage-events/submit", ADMIN_A, null).status()).isEqualTo(403);
        assertThat(app.post("/v1/usage-events/submit", READER_A, null).status()).isEqualTo(403);
        assertThat(app.post("/v1/usage-events/submit", ADMIN, json(map("now", true))).errorFields()).containsExactly("now");
    }

    @Test
    void a_cap_breach_holds_the_charge_and_records_an_anomaly() {
        for (int i = 0; i < 3; i++) {
            record("cap-" + i, "sub-cap", "corr-cap-" + i, ADMIN);
        }
        var over = app.post("/v1/outcomes", ADMIN, json(with(outcome("cap-3", "sub-cap"), "correlation_id", "corr-cap-3")));
        assertThat(over.json().path("charge_state").asText()).isEqualTo("PENDING_REVIEW");
        var anomalies = app.get("/v1/anomalies?subscription_ref=sub-cap", ADMIN);
        assertThat(anomalies.status()).isEqualTo(200);
        JsonNode anomaly = anomalies.json().path("data").get(0);
        assertThat(anomaly.path("type").asText()).isEqualTo("cap_exceeded");
        assertThat(anomaly.path("cap_type").asText()).isEqualTo("hourly");
        assertThat(anomaly.path("cap_value").asLong()).isEqualTo(3);
        assertThat(anomaly.path("actual_value").asLong()).isEqualTo(4);
        assertThat(anomaly.path("task_id").asText()).isEqualTo("cap-3");
        assertThat(anomaly.path("correlation_id").asText()).isEqualTo("corr-cap-3");
        assertThat(anomaly.path("timestamp").asText()).endsWith("Z");
        assertThat(app.get("/v1/anomalies?type=cap_exceeded&subscription_ref=sub-cap", ADMIN).json().path("data")).hasSize(1);
        assertThat(app.get("/v1/anomalies?type=submission_rejected&subscription_ref=sub-cap", ADMIN).json().path("data")).isEmpty();
        assertThat(app.get("/v1/anomalies?type=bogus", ADMIN).errorFields()).containsExactly("type");
        assertThat(app.get("/metrics", null).text()).contains("metering_anomalies_total{type=\"cap_exceeded\"}");
    }
}
