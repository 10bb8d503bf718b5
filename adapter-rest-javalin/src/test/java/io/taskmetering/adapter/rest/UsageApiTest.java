package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.taskmetering.adapter.rest.Bodies.map;
import static io.taskmetering.adapter.rest.Bodies.usage;
import static io.taskmetering.adapter.rest.Bodies.with;
import static io.taskmetering.adapter.rest.TestApp.ADMIN;
import static io.taskmetering.adapter.rest.TestApp.ADMIN_A;
import static io.taskmetering.adapter.rest.TestApp.AGENT_A;
import static io.taskmetering.adapter.rest.TestApp.AGENT_ALL;
import static io.taskmetering.adapter.rest.TestApp.READER_A;
import static io.taskmetering.adapter.rest.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The /v1/usage family: record, batch, query, aggregate, summary, agents, consumers, export, stats, purge, validate. */
class UsageApiTest {
    @RegisterExtension
    static final TestApp app = new TestApp();

    @BeforeAll
    static void storeTestData() {
        // consumer c-1: agents x and y over two days; consumer c-2: agent x
        List<Object> events = new ArrayList<>();
        events.add(usage("t-1", "c-1", "2026-02-06T10:00:00Z"));
        events.add(with(usage("t-2", "c-1", "2026-02-06T11:30:00Z"), "agent_id", "agent-2"));
        events.add(usage("t-3", "c-1", "2026-02-07T09:00:00Z"));
        events.add(usage("t-4", "c-2", "2026-02-07T09:15:00Z"));
        var r = app.post("/v1/usage/batch", AGENT_ALL, json(map("events", events)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().path("recorded").asInt()).isEqualTo(4);
    }

    @Test
    void a_record_is_201_and_the_same_record_again_is_200_duplicate() {
        var first = app.post("/v1/usage", AGENT_ALL, json(usage("t-once", "c-9", "2026-02-08T00:00:00Z")));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.json().path("status").asText()).isEqualTo("recorded");
        assertThat(first.json().path("task_id").asText()).isEqualTo("t-once");
        var again = app.post("/v1/usage", AGENT_ALL, json(usage("t-once", "c-9", "2026-02-08T00:00:00Z")));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("duplicate").asBoolean()).isTrue();
        assertThat(app.get("/v1/usage/t-once", ADMIN).json().path("count").asInt()).isEqualTo(1);
    }

    @Test
    void a_batch_reports_each_item_and_stores_the_valid_ones() {
        List<Object> events = List.of(
                usage("tb-1", "c-5", "2026-02-06T10:00:00Z"),
                with(usage("tb-2", "c-5", "2026-02-06T10:00:00Z"), "tokens_in", -1),
                usage("tb-1", "c-5", "2026-02-06T10:00:00Z"));
        var r = app.post("/v1/usage/batch", AGENT_ALL, json(map("events", events)));
        assertThat(r.status()).isEqualTo(200);
        JsonNode results = r.json().path("results");
        assertThat(results.get(0).path("status").asText()).isEqualTo("recorded");
        assertThat(results.get(1).path("status").asText()).isEqualTo("error");
        assertThat(results.get(1).path("error").path("errors").get(0).path("field").asText()).isEqualTo("events[1].tokens_in");
        assertThat(results.get(2).path("status").asText()).isEqualTo("duplicate");
        assertThat(r.json().path("task_ids").toString()).contains("tb-1");
        assertThat(app.get("/v1/usage/tb-2", ADMIN).status()).isEqualTo(404);
    }

    @Test
    void query_filters_and_pages_by_offset_in_timestamp_order() {
        var all = app.get("/v1/usage?consumer_id=c-1", READER_A.equals("") ? null : ADMIN);
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().path("total").asLong()).isEqualTo(3);
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        for (int offset = 0; offset < 3; offset++) {
            var page = app.get("/v1/usage?consumer_id=c-1&limit=1&offset=" + offset, ADMIN);
            JsonNode data = page.json().path("data");
            assertThat(data).hasSize(1);
            assertThat(page.json().path("count").asInt()).isEqualTo(1);
            assertThat(seen.add(data.get(0).path("task_id").asText())).isTrue();
            order.add(data.get(0).path("timestamp").asText());
        }
        assertThat(order).isSorted();
        assertThat(app.get("/v1/usage?agent_id=agent-2", ADMIN).json().path("total").asLong()).isEqualTo(1);
        assertThat(app.get("/v1/usage?start=2026-02-07T00:00:00Z&end=2026-02-08T00:00:00Z&consumer_id=c-1", ADMIN)
                .json().path("total").asLong()).isEqualTo(1);
        assertThat(app.get("/v1/usage?limit=1001", ADMIN).errorFields()).containsExactly("limit");
        assertThat(app.get("/v1/usage?offset=-1", ADMIN).errorFields()).containsExactly("offset");
        assertThat(app.get("/v1/usage?start=2026-02-07", ADMIN).errorFields()).containsExactly("start");
        assertThat(app.get("/v1/usage?agent=x", ADMIN).errorFields()).containsExactly("agent");
    }

    @Test
    void aggregates_group_by_agent_consumer_hour_day_and_week() {
        var byAgent = app.get("/v1/usage/aggregate?group_by=agent&consumer_id=c-1", ADMIN);
        assertThat(byAgent.status()).as(byAgent.toString()).isEqualTo(200);
        assertThat(byAgent.json().path("group_by").asText()).isEqualTo("agent");
        JsonNode first = byAgent.json().path("data").get(0);
        assertThat(first.path("agent_id").asText()).isEqualTo("agent-1");
        assertThat(first.path("total_tasks").asLong()).isEqualTo(2);
        assertThat(first.path("total_tokens").asLong()).isEqualTo(300);
        assertThat(first.path("avg_tokens_per_task").decimalValue()).isEqualByComparingTo("150");
        assertThat(first.has("consumer_id")).isFalse();

        var byDay = app.get("/v1/usage/aggregate?group_by=day", ADMIN).json().path("data");
        assertThat(byDay.get(0).path("period").asText()).isEqualTo("2026-02-06");
        var byWeek = app.get("/v1/usage/aggregate?group_by=week&consumer_id=c-2", ADMIN).json().path("data");
        assertThat(byWeek.get(0).path("period").asText()).isEqualTo("2026-W06");
        assertThat(byWeek.get(0).path("unique_consumers").asLong()).isEqualTo(1);
        assertThat(app.get("/v1/usage/aggregate?group_by=hour&consumer_id=c-2", ADMIN).json().path("data").get(0)
                .path("period").asText()).isEqualTo("2026-02-07T09:00:00Z");
        assertThat(app.get("/v1/usage/aggregate?group_by=consumer", ADMIN).json().path("data").get(0).path("consumer_id").asText())
                .isNotEmpty();
        assertThat(app.get("/v1/usage/aggregate?group_by=month", ADMIN).errorFields()).containsExactly("group_by");
        assertThat(app.get("/v1/usage/aggregate", ADMIN).errorFields()).containsExactly("group_by");
    }

    @Test
    void summary_agents_and_consumers() {
        var summary = app.get("/v1/usage/summary?start=2026-02-06T00:00:00Z&end=2026-02-08T00:00:00Z", ADMIN);
        assertThat(summary.status()).isEqualTo(200);
        assertThat(summary.json().path("total_tasks").asLong()).isEqualTo(4);
        assertThat(summary.json().path("unique_agents").asLong()).isEqualTo(2);
        assertThat(summary.json().path("unique_consumers").asLong()).isEqualTo(2);
        var agents = app.get("/v1/usage/agents?consumer_id=c-1", ADMIN);
        assertThat(agents.json().path("count").asInt()).isEqualTo(2);
        var consumers = app.get("/v1/usage/consumers?start=2026-02-06T00:00:00Z&end=2026-02-08T00:00:00Z", ADMIN);
        assertThat(consumers.json().path("data").get(0).path("consumer_id").asText()).isEqualTo("c-1");
    }

    @Test
    void export_streams_csv_with_an_attachment_header() {
        var r = app.get("/v1/usage/export?format=csv&consumer_id=c-1", ADMIN);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/csv");
        assertThat(r.header("Content-Disposition")).isEqualTo("attachment; filename=\"usage.csv\"");
        String[] lines = r.text().split("\r\n");
        assertThat(lines[0]).isEqualTo("task_id,agent_id,consumer_id,tokens_in,tokens_out,duration_ms,api_calls,timestamp");
        assertThat(lines).hasSize(4);
        assertThat(lines[1]).isEqualTo("t-1,agent-1,c-1,100,50,1200,3,2026-02-06T10:00:00Z");
    }

    @Test
    void export_streams_json_and_quotes_csv_fields_that_need_it() {
        app.post("/v1/usage", AGENT_ALL, json(with(usage("t,\"q\"", "c-csv", "2026-02-06T10:00:00Z"))));
        var csv = app.get("/v1/usage/export?consumer_id=c-csv", ADMIN);
        assertThat(csv.text()).contains("\"t,\"\"q\"\"\",agent-1,c-csv");
        var r = app.get("/v1/usage/export?format=json&consumer_id=c-1", ADMIN);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Disposition")).isEqualTo("attachment; filename=\"usage.json\"");
        JsonNode data = r.json().path("data");
        assertThat(data).hasSize(3);
        assertThat(data.get(0).path("tokens_in").asLong()).isEqualTo(100);
        assertThat(data.get(0).path("timestamp").asText()).isEqualTo("2026-02-06T10:00:00Z");
        assertThat(app.get("/v1/usage/export?format=xml", ADMIN).errorFields()).containsExactly("format");
    }

    @Test
    void export_of_many_records_is_complete() {
        List<Object> events = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            events.add(usage("bulk-" + i, "c-bulk", "2026-02-10T00:00:00Z"));
        }
        assertThat(app.post("/v1/usage/batch", AGENT_ALL, json(map("events", events))).json().path("recorded").asInt())
                .isEqualTo(1000);
        List<Object> more = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            more.add(usage("bulk-more-" + i, "c-bulk", "2026-02-11T00:00:00Z"));
        }
        app.post("/v1/usage/batch", AGENT_ALL, json(map("events", more)));
        // more than the largest page: an export is not a page
        var csv = app.get("/v1/usage/export?consumer_id=c-bulk", ADMIN);
        assertThat(csv.text().split("\r\n")).hasSize(1201);
        // written as it was read: the response went out in chunks, never sized up front in memory
        assertThat(csv.header("Content-Length")).isNull();
        assertThat(csv.header("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
        var jsonExport = app.get("/v1/usage/export?consumer_id=c-bulk&format=json", ADMIN);
        assertThat(jsonExport.json().path("data")).hasSize(1200);
    }

    @Test
    void stats_purge_and_validate() {
        var stats = app.get("/v1/usage/stats", ADMIN);
        assertThat(stats.status()).isEqualTo(200);
        assertThat(stats.json().path("total_events").asLong()).isGreaterThanOrEqualTo(4);
        assertThat(stats.json().path("oldest_timestamp").asText()).endsWith("Z");
        assertThat(stats.json().path("retention_ttl_seconds").asLong()).isEqualTo(30L * 24 * 3600);

        assertThat(app.post("/v1/usage/purge", ADMIN_A, null).status()).isEqualTo(403);
        assertThat(app.post("/v1/usage/purge", AGENT_A, null).status()).isEqualTo(403);
        var purge = app.post("/v1/usage/purge", ADMIN, null);
        assertThat(purge.status()).as(purge.toString()).isEqualTo(200);
        assertThat(purge.json().path("status").asText()).isEqualTo("purged");
        assertThat(purge.json().has("removed")).isTrue();

        var valid = app.post("/v1/usage/validate", AGENT_ALL, json(usage("v-1", "c-v", "2026-02-06T10:00:00.123456789Z")));
        assertThat(valid.status()).isEqualTo(200);
        assertThat(valid.json().path("valid").asBoolean()).isTrue();
        assertThat(valid.json().path("record").path("timestamp").asText()).isEqualTo("2026-02-06T10:00:00.123456Z");
        var invalid = app.post("/v1/usage/validate", AGENT_ALL, json(with(usage("v-2", "c-v", "2026-02-06T10:00:00Z"), "api_calls", -3)));
        assertThat(invalid.status()).isEqualTo(200);
        assertThat(invalid.json().path("valid").asBoolean()).isFalse();
        assertThat(invalid.json().path("field").asText()).isEqualTo("api_calls");
        assertThat(invalid.json().path("error").asText()).contains("api_calls");
        assertThat(app.get("/v1/usage?consumer_id=c-v", ADMIN).json().path("total").asLong()).isZero();
        assertThat(app.post("/v1/usage/validate", AGENT_ALL, "[1]").status()).isEqualTo(400);
    }

    @Test
    void a_timestamp_is_required_and_must_carry_a_zone() {
        var r = app.post("/v1/usage", AGENT_ALL, json(with(usage("tz", "c-1", "2026-02-06T10:00:00"))));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorFields()).containsExactly("timestamp");
        assertThat(r.json().path("detail").asText()).contains("zone");
        assertThat(app.post("/v1/usage", AGENT_ALL, json(Bodies.without(usage("tz", "c-1", "x"), "timestamp"))).errorFields())
                .containsExactly("timestamp");
    }
}
