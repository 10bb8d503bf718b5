package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.SubscriptionRef;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;

import static io.taskmetering.adapter.rest.Bodies.map;
import static io.taskmetering.adapter.rest.Bodies.outcome;
import static io.taskmetering.adapter.rest.TestApp.ADMIN;
import static io.taskmetering.adapter.rest.TestApp.ADMIN_A;
import static io.taskmetering.adapter.rest.TestApp.READER_A;
import static io.taskmetering.adapter.rest.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** POST and GET /v1/reconciliations on a real server; the scripted Marketplace reports what it accepted unless told. */
class ReconciliationApiTest {
    private static final String DAY = "2026-03-02";

    private static void acceptedHour(TestApp app, String subscription, String task) {
        var r = app.post("/v1/outcomes", ADMIN, json(outcome(task, subscription)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    private static BucketKey hour(String subscription, String start) {
        return new BucketKey(SubscriptionRef.of(subscription), Dimension.TASK_COMPLETED, BillingHour.parse(start));
    }

    @Test
    void a_day_with_a_different_quantity_and_an_omitted_hour_shows_both_and_stores_anomalies() {
        try (TestApp app = new TestApp().start()) {
            acceptedHour(app, "sub-one", "task-1");
            acceptedHour(app, "sub-one", "task-2");
            acceptedHour(app, "sub-two", "task-3");
            acceptedHour(app, "sub-three", "task-4");
            app.clock.advance(Duration.ofHours(1));
            assertThat(app.post("/v1/usage-events/submit", ADMIN, null).status()).isEqualTo(200);
            app.marketplace.report(hour("sub-one", "2026-03-02T10:00:00Z"), new BigDecimal("5"));
            app.marketplace.forget(hour("sub-two", "2026-03-02T10:00:00Z"));

            var run = app.post("/v1/reconciliations", ADMIN, json(map("day", DAY)));

            assertThat(run.status()).as(run.toString()).isEqualTo(201);
            JsonNode body = run.json();
            assertThat(body.path("day").asText()).isEqualTo(DAY);
            assertThat(body.path("status").asText()).isEqualTo("differences");
            assertThat(body.path("ran_at").asText()).isEqualTo(app.clock.instant().toString());
            assertThat(body.path("hours_compared").asInt()).isEqualTo(3);
            assertThat(body.path("matching").asInt()).isEqualTo(1);
            assertThat(body.path("mismatched")).hasSize(1);
            JsonNode mismatch = body.path("mismatched").get(0);
            assertThat(mismatch.path("subscription_ref").asText()).isEqualTo("sub-one");
            assertThat(mismatch.path("hour").asText()).isEqualTo("2026-03-02T10:00:00Z");
            assertThat(mismatch.path("ours").asLong()).isEqualTo(2);
            assertThat(mismatch.path("theirs").toString()).isEqualTo("5");
            assertThat(body.path("missing_at_marketplace")).hasSize(1);
            assertThat(body.path("missing_at_marketplace").get(0).path("subscription_ref").asText()).isEqualTo("sub-two");
            assertThat(body.path("missing_at_marketplace").get(0).path("quantity").asLong()).isEqualTo(1);
            assertThat(body.path("missing_here")).isEmpty();

            var latest = app.get("/v1/reconciliations?day=" + DAY, ADMIN);
            assertThat(latest.status()).as(latest.toString()).isEqualTo(200);
            assertThat(latest.json()).isEqualTo(body);

            var anomalies = app.get("/v1/anomalies?type=reconciliation_mismatch", ADMIN);
            assertThat(anomalies.json().path("data")).hasSize(2);
            assertThat(anomalies.json().path("data").toString()).contains("sub-one", "sub-two");
        }
    }

    @Test
    void the_day_must_be_a_date_in_range_and_only_global_admins_reconcile() {
        try (TestApp app = new TestApp().start()) {
            assertThat(app.post("/v1/reconciliations", ADMIN, json(map("day", "2026-03-03"))).errorFields())
                    .as("tomorrow").containsExactly("day");
            assertThat(app.post("/v1/reconciliations", ADMIN, json(map("day", "2025-12-01"))).errorFields())
                    .as("more than 90 days ago").containsExactly("day");
            assertThat(app.post("/v1/reconciliations", ADMIN, json(map("day", "2026-3-2"))).status()).isEqualTo(422);
            assertThat(app.post("/v1/reconciliations", ADMIN, json(map())).status()).isIn(400, 422);
            assertThat(app.get("/v1/reconciliations?day=2026-02-30", ADMIN).errorFields()).containsExactly("day");
            assertThat(app.get("/v1/reconciliations?day=" + DAY, ADMIN).status()).as("never run").isEqualTo(404);
            assertThat(app.post("/v1/reconciliations", ADMIN_A, json(map("day", DAY))).status()).isEqualTo(403);
            assertThat(app.get("/v1/reconciliations?day=" + DAY, READER_A).status()).isEqualTo(403);
        }
    }
}
