package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.taskmetering.adapter.rest.Bodies.map;
import static io.taskmetering.adapter.rest.TestApp.ADMIN;
import static io.taskmetering.adapter.rest.TestApp.AGENT_A;
import static io.taskmetering.adapter.rest.TestApp.READER_A;
import static io.taskmetering.adapter.rest.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The insights over HTTP on H2: the Contoso hour as the API draws it, the rates, and who sees which subscription. */
class InsightApiTest {
    private static final String WINDOW = "from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z";

    private static void report(TestApp app, String subscription, String task, int minute, String version,
                               Map<String, Object> outputs) {
        Map<String, Object> body = map("task_id", task, "agent_id", "agent-alpha", "subscription_ref", subscription,
                "occurred_at", String.format("2026-03-02T10:%02d:00Z", minute), "evidence", map("outputs", outputs));
        if (version != null) {
            body = Bodies.with(body, "agent_version", version);
        }
        var r = app.post("/v1/outcomes", ADMIN, json(body));
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
    }

    /** The Contoso hour: two billable, a failure, a retry of task-001 and an empty result. */
    private static void contoso(TestApp app, String subscription) {
        report(app, subscription, "task-001", 5, "1.0", map("status", "completed", "result", "Summary generated"));
        report(app, subscription, "task-002", 12, "1.1", map("status", "completed", "result", "Terms: net 30"));
        report(app, subscription, "task-003", 14, null, map("status", "failed", "error", "timed out"));
        report(app, subscription, "task-001", 16, "1.0", map("status", "completed", "result", "Summary generated"));
        report(app, subscription, "task-005", 18, null, map("status", "completed", "result", ""));
    }

    @Test
    void the_contoso_hour_reads_attempted_5_billable_2_duplicates_1_not_billable_2() {
        try (TestApp app = new TestApp().start()) {
            contoso(app, "sub-a");

            var r = app.get("/v1/insights/hours?" + WINDOW, ADMIN);

            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonNode rows = r.json().path("data");
            assertThat(rows).hasSize(1);
            JsonNode hour = rows.get(0);
            assertThat(hour.path("subscription_ref").asText()).isEqualTo("sub-a");
            assertThat(hour.path("hour").asText()).isEqualTo("2026-03-02T10:00:00Z");
            assertThat(List.of(hour.path("attempted").asLong(), hour.path("billable").asLong(),
                    hour.path("duplicates").asLong(), hour.path("not_billable").asLong()))
                    .containsExactly(5L, 2L, 1L, 2L);
            assertThat(hour.path("not_billable_by_gate").toString())
                    .isEqualTo("{\"output_validation\":1,\"terminal_success\":1}");
            assertThat(List.of(hour.path("held_for_review").asLong(), hour.path("disputed").asLong(),
                    hour.path("reversed").asLong())).containsExactly(0L, 0L, 0L);
            assertThat(hour.path("quantity_submitted").isNull()).as("the hour is still open").isTrue();
            assertThat(hour.path("quantity_accepted").isNull()).isTrue();
            assertThat(r.json().path("from").asText()).isEqualTo("2026-03-02T00:00:00Z");

            var byDefault = app.get("/v1/insights/hours", ADMIN);
            assertThat(byDefault.json().path("to").asText()).as("the end of the current hour")
                    .isEqualTo("2026-03-02T11:00:00Z");
            assertThat(byDefault.json().path("data")).hasSize(1);
        }
    }

    @Test
    void the_summary_gives_each_rate_with_its_counts_and_null_over_nothing() {
        try (TestApp app = new TestApp().start()) {
            contoso(app, "sub-a");

            var r = app.get("/v1/insights/summary?" + WINDOW + "&group_by=agent_version", READER_A);

            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().path("group_by").asText()).isEqualTo("agent_version");
            JsonNode groups = r.json().path("data");
            assertThat(groups).extracting(g -> g.path("key").asText()).containsExactly("1.0", "1.1", "unknown");
            JsonNode total = r.json().path("total");
            assertThat(total.path("key").asText()).isEqualTo("total");
            assertThat(total.path("conversion_rate").toString())
                    .isEqualTo("{\"value\":0.4,\"numerator\":2,\"denominator\":5}");
            assertThat(total.path("duplicate_suppression_rate").path("value").asDouble()).isEqualTo(0.2);
            assertThat(total.path("evidence_completeness").path("numerator").asLong()).isZero();
            assertThat(total.path("review_rate").toString())
                    .isEqualTo("{\"value\":0.0,\"numerator\":0,\"denominator\":2}");
            assertThat(total.path("counts").path("attempted").asLong()).isEqualTo(5);
            assertThat(total.path("counts").path("charges").asLong()).isEqualTo(2);
            JsonNode unknown = groups.get(2);
            assertThat(unknown.path("review_rate").path("value").isNull())
                    .as("no charge among the unversioned reports: nothing to divide").isTrue();
            assertThat(unknown.path("counts").path("not_billable").asLong()).isEqualTo(2);
        }
    }

    @Test
    void a_reader_sees_only_its_subscriptions_and_is_refused_another() {
        try (TestApp app = new TestApp().start()) {
            contoso(app, "sub-a");
            contoso(app, "sub-b");

            assertThat(app.get("/v1/insights/hours?" + WINDOW, ADMIN).json().path("data")).hasSize(2);
            JsonNode own = app.get("/v1/insights/hours?" + WINDOW, READER_A).json().path("data");
            assertThat(own).extracting(h -> h.path("subscription_ref").asText()).containsExactly("sub-a");
            var summary = app.get("/v1/insights/summary?" + WINDOW, READER_A);
            assertThat(summary.json().path("data")).extracting(g -> g.path("key").asText()).containsExactly("sub-a");

            var other = app.get("/v1/insights/hours?" + WINDOW + "&subscription_ref=sub-b", READER_A);
            assertThat(other.status()).isEqualTo(403);
            assertThat(other.errorFields()).containsExactly("subscription_ref");
            assertThat(app.get("/v1/insights/summary?subscription_ref=sub-b", READER_A).status()).isEqualTo(403);
            assertThat(app.get("/v1/insights/hours", AGENT_A).status()).isEqualTo(403);
        }
    }

    @Test
    void an_agent_filter_drops_the_quantities_and_other_agents() {
        try (TestApp app = new TestApp().start()) {
            contoso(app, "sub-a");

            JsonNode mine = app.get("/v1/insights/hours?" + WINDOW + "&agent_id=agent-alpha", ADMIN).json().path("data");
            assertThat(mine).hasSize(1);
            assertThat(mine.get(0).path("quantity_submitted").isNull()).isTrue();
            assertThat(app.get("/v1/insights/hours?" + WINDOW + "&agent_id=agent-other", ADMIN).json().path("data"))
                    .isEmpty();
        }
    }

    @Test
    void windows_and_groupings_outside_the_contract_are_refused_naming_the_parameter() {
        try (TestApp app = new TestApp().start()) {
            var cut = app.get("/v1/insights/hours?from=2026-03-02T10:30:00Z&to=2026-03-02T12:00:00Z", ADMIN);
            assertThat(cut.status()).isEqualTo(422);
            assertThat(cut.errorFields()).containsExactly("from");
            var backwards = app.get("/v1/insights/hours?from=2026-03-02T10:00:00Z&to=2026-03-02T09:00:00Z", ADMIN);
            assertThat(backwards.status()).isEqualTo(422);
            assertThat(backwards.errorFields()).containsExactly("to");
            var tooLong = app.get("/v1/insights/summary?from=2025-01-01T00:00:00Z&to=2026-03-02T00:00:00Z", ADMIN);
            assertThat(tooLong.status()).isEqualTo(422);
            var groupBy = app.get("/v1/insights/summary?group_by=planet", ADMIN);
            assertThat(groupBy.status()).isEqualTo(422);
            assertThat(groupBy.errorFields()).containsExactly("group_by");
            assertThat(app.get("/v1/insights/hours?page=2", ADMIN).status()).isEqualTo(400);
        }
    }
}
