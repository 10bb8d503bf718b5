package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.taskmetering.adapter.rest.Bodies.map;
import static io.taskmetering.adapter.rest.Bodies.outcome;
import static io.taskmetering.adapter.rest.Bodies.with;
import static io.taskmetering.adapter.rest.TestApp.ADMIN;
import static io.taskmetering.adapter.rest.TestApp.ADMIN_A;
import static io.taskmetering.adapter.rest.TestApp.AGENT_A;
import static io.taskmetering.adapter.rest.TestApp.READER_A;
import static io.taskmetering.adapter.rest.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shadow billing and replay over HTTP on H2: who may start, stop and read, the report's rows, and the replay answer
 * with its refusals. Each test runs on an app of its own (a global shadow would shadow every other test's outcomes).
 */
class ShadowAndReplayApiTest {
    private static TestApp.Resp delete(TestApp app, String path, String key) {
        return app.send(app.request(path, key).DELETE());
    }

    private static void createApprovalVersion(TestApp app) {
        var r = app.post("/v1/contracts", ADMIN, json(map("version", "approval-v2", "require_approval", true)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    private static void record(TestApp app, String task, String subscription, boolean approved) {
        Map<String, Object> body = with(outcome(task, subscription), "correlation_id", "corr-" + task);
        if (approved) {
            body = with(body, "evidence", map("outputs", map("terminal_success", true, "approved", true)));
        }
        var r = app.post("/v1/outcomes", ADMIN, json(body));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    @Test
    void a_shadow_is_started_listed_reported_and_stopped_and_each_key_sees_its_subscriptions() {
        try (TestApp app = new TestApp().start()) {
            createApprovalVersion(app);
            var started = app.post("/v1/contracts/approval-v2/shadow", ADMIN, "");
            assertThat(started.status()).as(started.toString()).isEqualTo(201);
            assertThat(started.json().path("scope").asText()).isEqualTo("global");
            assertThat(started.json().path("subscription_ref").isNull()).isTrue();
            assertThat(app.post("/v1/contracts/approval-v2/shadow", ADMIN, "{}").status()).isEqualTo(200);
            assertThat(app.get("/v1/contracts/approval-v2/shadow", READER_A).json().path("data")).hasSize(1);

            record(app, "t-1", "sub-a", true);
            record(app, "t-2", "sub-a", false);
            record(app, "t-3", "sub-b", false);

            var report = app.get("/v1/contracts/approval-v2/shadow-report", ADMIN);
            assertThat(report.status()).as(report.toString()).isEqualTo(200);
            JsonNode rows = report.json().path("data");
            assertThat(rows).hasSize(2);
            JsonNode subA = rows.get(0);
            assertThat(subA.path("subscription_ref").asText()).isEqualTo("sub-a");
            assertThat(subA.path("hour").asText()).isEqualTo("2026-03-02T10:00:00Z");
            assertThat(List.of(subA.path("evaluated").asLong(), subA.path("billable_live").asLong(),
                    subA.path("billable_shadow").asLong(), subA.path("flip_count").asLong())).containsExactly(2L, 2L, 1L, 1L);
            JsonNode flip = subA.path("flips").get(0);
            assertThat(flip.path("task_id").asText()).isEqualTo("t-2");
            assertThat(flip.path("correlation_id").asText()).isEqualTo("corr-t-2");
            assertThat(flip.path("to_billable").asBoolean()).isFalse();
            assertThat(flip.path("live_reason_codes").toString()).contains("approval:skipped");
            assertThat(flip.path("shadow_reason_codes").toString()).contains("approval:failed");
            assertThat(report.json().path("next_cursor").isNull()).isTrue();

            var readerA = app.get("/v1/contracts/approval-v2/shadow-report", READER_A);
            assertThat(readerA.json().path("data")).hasSize(1);
            assertThat(readerA.json().path("data").get(0).path("subscription_ref").asText()).isEqualTo("sub-a");
            var outside = app.get("/v1/contracts/approval-v2/shadow-report?subscription_ref=sub-b", READER_A);
            assertThat(outside.status()).isEqualTo(403);
            assertThat(outside.errorFields()).containsExactly("subscription_ref");
            assertThat(app.get("/v1/contracts/approval-v2/shadow-report", AGENT_A).status()).isEqualTo(403);
            assertThat(app.get("/v1/contracts/nope/shadow-report", ADMIN).status()).isEqualTo(404);
            var paged = app.get("/v1/contracts/approval-v2/shadow-report?limit=1", ADMIN).json();
            assertThat(paged.path("data")).hasSize(1);
            assertThat(app.get("/v1/contracts/approval-v2/shadow-report?limit=1&cursor=" + paged.path("next_cursor").asText(),
                    ADMIN).json().path("data").get(0).path("subscription_ref").asText()).isEqualTo("sub-b");

            var stopped = delete(app, "/v1/contracts/approval-v2/shadow", ADMIN);
            assertThat(stopped.status()).as(stopped.toString()).isEqualTo(200);
            assertThat(stopped.json().path("status").asText()).isEqualTo("stopped");
            assertThat(delete(app, "/v1/contracts/approval-v2/shadow", ADMIN).status()).isEqualTo(404);
            record(app, "t-4", "sub-a", false);
            assertThat(app.get("/v1/contracts/approval-v2/shadow-report", ADMIN).json().path("data").get(0)
                    .path("evaluated").asLong()).isEqualTo(2);
        }
    }

    @Test
    void a_scoped_admin_runs_a_shadow_for_its_own_subscriptions_only() {
        try (TestApp app = new TestApp().start()) {
            createApprovalVersion(app);
            var global = app.post("/v1/contracts/approval-v2/shadow", ADMIN_A, "{}");
            assertThat(global.status()).isEqualTo(403);
            assertThat(global.errorFields()).containsExactly("subscription_ref");
            assertThat(app.post("/v1/contracts/approval-v2/shadow", ADMIN_A, json(map("subscription_ref", "sub-b")))
                    .status()).isEqualTo(403);
            var own = app.post("/v1/contracts/approval-v2/shadow", ADMIN_A, json(map("subscription_ref", "sub-a")));
            assertThat(own.status()).as(own.toString()).isEqualTo(201);
            assertThat(own.json().path("scope").asText()).isEqualTo("subscription");
            assertThat(app.post("/v1/contracts/nope/shadow", ADMIN, "{}").status()).isEqualTo(404);
            assertThat(app.get("/v1/contracts/nope/shadow", ADMIN).status()).isEqualTo(404);
            var unknownField = app.post("/v1/contracts/approval-v2/shadow", ADMIN, json(map("subscription", "sub-a")));
            assertThat(unknownField.status()).isEqualTo(400);
            assertThat(unknownField.errorFields()).containsExactly("subscription");
            assertThat(delete(app, "/v1/contracts/approval-v2/shadow?subscription_ref=sub-a", ADMIN_A).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void a_replay_answers_counts_hours_and_flips_and_names_the_field_it_refuses() {
        try (TestApp app = new TestApp().start()) {
            createApprovalVersion(app);
            record(app, "t-1", "sub-a", true);
            record(app, "t-2", "sub-a", false);
            record(app, "t-3", "sub-b", false);
            Map<String, Object> window = map("from", "2026-03-02T10:00:00Z", "to", "2026-03-02T11:00:00Z");

            var asRecorded = app.post("/v1/replays", ADMIN, json(with(window, "contract_version", "as_recorded")));
            assertThat(asRecorded.status()).as(asRecorded.toString()).isEqualTo(200);
            JsonNode same = asRecorded.json();
            assertThat(same.path("replayed").asLong()).isEqualTo(3);
            assertThat(same.path("unchanged").asLong()).isEqualTo(3);
            assertThat(same.path("mismatch_count").asLong()).isZero();
            assertThat(same.path("flips")).isEmpty();

            var stricter = app.post("/v1/replays", ADMIN, json(with(window, "contract_version", "approval-v2", "limit", 1)));
            JsonNode r = stricter.json();
            assertThat(r.path("flipped_to_not_billable").asLong()).isEqualTo(2);
            assertThat(r.path("flipped_to_billable").asLong()).isZero();
            assertThat(r.path("hours").toString()).contains("\"subscription_ref\":\"sub-a\"")
                    .contains("\"quantity_difference\":-1");
            assertThat(r.path("flips")).hasSize(1);
            assertThat(r.path("flips").get(0).path("recorded_reason_codes").toString()).contains("approval:skipped");
            assertThat(r.path("flips").get(0).path("replayed_reason_codes").toString()).contains("approval:failed");
            var next = app.post("/v1/replays", ADMIN, json(with(window, "contract_version", "approval-v2", "limit", 1,
                    "cursor", r.path("next_cursor").asText()))).json();
            assertThat(next.path("flips").get(0).path("task_id").asText()).isNotEqualTo(
                    r.path("flips").get(0).path("task_id").asText());
            assertThat(next.path("next_cursor").isNull()).isTrue();

            var scoped = app.post("/v1/replays", ADMIN_A, json(with(window, "contract_version", "approval-v2")));
            assertThat(scoped.json().path("replayed").asLong()).isEqualTo(2);
            assertThat(app.post("/v1/replays", ADMIN_A, json(with(window, "contract_version", "approval-v2",
                    "subscription_ref", "sub-b"))).status()).isEqualTo(403);
            assertThat(app.post("/v1/replays", READER_A, json(with(window, "contract_version", "approval-v2")))
                    .status()).isEqualTo(403);
            assertThat(app.post("/v1/replays", ADMIN, json(with(window, "contract_version", "nope"))).status())
                    .isEqualTo(404);
            var backwards = app.post("/v1/replays", ADMIN, json(map("contract_version", "as_recorded",
                    "from", "2026-03-02T11:00:00Z", "to", "2026-03-02T10:00:00Z")));
            assertThat(backwards.status()).isEqualTo(422);
            assertThat(backwards.errorFields()).containsExactly("from");
            var missing = app.post("/v1/replays", ADMIN, json(with(window, "contract_version", null)));
            assertThat(missing.status()).isIn(400, 422);
            assertThat(missing.errorFields()).containsExactly("contract_version");
            var badLimit = app.post("/v1/replays", ADMIN, json(with(window, "contract_version", "as_recorded", "limit", 0)));
            assertThat(badLimit.status()).isEqualTo(422);
            assertThat(badLimit.errorFields()).containsExactly("limit");
            var badCursor = app.post("/v1/replays", ADMIN, json(with(window, "contract_version", "as_recorded",
                    "cursor", "xyz")));
            assertThat(badCursor.status()).isEqualTo(422);
            assertThat(badCursor.errorFields()).containsExactly("cursor");
        }
    }
}
