package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.taskmetering.adapter.rest.Bodies.map;
import static io.taskmetering.adapter.rest.Bodies.with;
import static io.taskmetering.adapter.rest.Bodies.without;
import static io.taskmetering.adapter.rest.TestApp.ADMIN;
import static io.taskmetering.adapter.rest.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Malformed input, table-driven: every case answers a problem+json naming the offending field, and nothing is
 * written (no decision under the case's correlation id, no charge, no usage record of the test subscription).
 */
class MalformedInputTest {
    static final String SUB = "sub-mal";
    static final String CORR = "mal-corr";
    @RegisterExtension
    static final TestApp app = new TestApp();

    /** One malformed request: where it goes, its raw body and content type, the status and field expected. */
    record Case(String name, String path, byte[] body, String contentType, int status, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Map<String, Object> outcome() {
        return map("task_id", "mal-task", "agent_id", "agent-1", "subscription_ref", SUB, "correlation_id", CORR,
                "evidence", map("outputs", map("terminal_success", true)),
                "usage", map("tokens_in", 1, "tokens_out", 1, "duration_ms", 1, "api_calls", 1));
    }

    static Map<String, Object> evidence(Object... keyValues) {
        return with(outcome(), "evidence", with(map("outputs", map("terminal_success", true)), keyValues));
    }

    static Map<String, Object> usageRecord() {
        return Bodies.usage("mal-usage", SUB, "2026-02-06T10:00:00Z");
    }

    static Case outcomeCase(String name, Object body, int status, String field) {
        return new Case(name, "/v1/outcomes", (body instanceof String s ? s : json(body)).getBytes(StandardCharsets.UTF_8),
                "application/json", status, field);
    }

    static Case raw(String name, String path, byte[] body, String contentType, int status, String field) {
        return new Case(name, path, body, contentType, status, field);
    }

    static Case usageCase(String name, Object body, int status, String field) {
        return new Case(name, "/v1/usage", (body instanceof String s ? s : json(body)).getBytes(StandardCharsets.UTF_8),
                "application/json", status, field);
    }

    static List<Case> cases() {
        String huge = "x".repeat(70_000);
        String deep = "[".repeat(100) + "]".repeat(100);
        byte[] tenMiB = new byte[10 * 1024 * 1024];
        Arrays.fill(tenMiB, (byte) ' ');
        tenMiB[0] = '{';
        tenMiB[tenMiB.length - 1] = '}';
        byte[] invalidUtf8 = "{\"task_id\":\"a\u0000\"}".getBytes(StandardCharsets.UTF_8);
        invalidUtf8[13] = (byte) 0xC3; // a lead byte followed by a quote: not UTF-8
        List<Case> cases = new ArrayList<>(List.of(
                // wrong types
                outcomeCase("task_id number", with(outcome(), "task_id", 123), 400, "task_id"),
                outcomeCase("subscription_ref boolean", with(outcome(), "subscription_ref", true), 400, "subscription_ref"),
                outcomeCase("agent_id object", with(outcome(), "agent_id", map("id", "a")), 400, "agent_id"),
                outcomeCase("occurred_at number", with(outcome(), "occurred_at", 12345), 400, "occurred_at"),
                outcomeCase("usage.tokens_in string", with(outcome(), "usage", map("tokens_in", "5")), 400, "usage.tokens_in"),
                outcomeCase("usage.tokens_in fraction", with(outcome(), "usage", map("tokens_in", 1.5)), 400, "usage.tokens_in"),
                outcomeCase("usage array", with(outcome(), "usage", List.of(1)), 400, "usage"),
                outcomeCase("evidence string", with(outcome(), "evidence", "done"), 400, "evidence"),
                outcomeCase("evidence.outputs list", evidence("outputs", List.of(1)), 400, "evidence.outputs"),
                outcomeCase("evidence.scores text", evidence("scores", map("intent_resolution", "high")), 400,
                        "evidence.scores.intent_resolution"),
                outcomeCase("evidence.traces object", evidence("traces", map("span_id", "s")), 400, "evidence.traces"),
                outcomeCase("evidence.query number", evidence("query", 5), 400, "evidence.query"),
                // nulls and missing fields
                outcomeCase("task_id null", with(outcome(), "task_id", null), 400, "task_id"),
                outcomeCase("agent_id missing", without(outcome(), "agent_id"), 400, "agent_id"),
                outcomeCase("evidence null", with(outcome(), "evidence", null), 400, "evidence"),
                outcomeCase("outputs null", evidence("outputs", null), 400, "evidence.outputs"),
                outcomeCase("trace without span_id", evidence("traces", List.of(map("tool_name", "t"))), 400,
                        "evidence.traces[0].span_id"),
                // a null where an object or a list belongs, on every route that takes one
                outcomeCase("scores null", evidence("scores", null), 400, "evidence.scores"),
                outcomeCase("traces null", evidence("traces", null), 400, "evidence.traces"),
                outcomeCase("trace entry null", evidence("traces", Arrays.asList((Object) null)), 400, "evidence.traces[0]"),
                outcomeCase("usage null", with(outcome(), "usage", null), 400, "usage"),
                raw("evaluation evidence null", "/v1/evaluations", json(with(without(outcome(), "usage"), "evidence", null))
                        .getBytes(StandardCharsets.UTF_8), "application/json", 400, "evidence"),
                // values breaking rules
                outcomeCase("task_id blank", with(outcome(), "task_id", "  "), 422, "task_id"),
                outcomeCase("task_id too long", with(outcome(), "task_id", "t".repeat(300)), 422, "task_id"),
                outcomeCase("correlation_id control char", with(outcome(), "correlation_id", "a\u0001b"), 422, "correlation_id"),
                outcomeCase("dimension empty", with(outcome(), "dimension", ""), 422, "dimension"),
                outcomeCase("huge evidence.query", evidence("query", huge), 422, "evidence.query"),
                outcomeCase("huge output value", evidence("outputs", map("terminal_success", true, "blob", huge)), 422,
                        "evidence.outputs.blob"),
                outcomeCase("negative tokens_in", with(outcome(), "usage", map("tokens_in", -5)), 422, "usage.tokens_in"),
                outcomeCase("negative duration_ms", with(outcome(), "usage", map("duration_ms", -1)), 422, "usage.duration_ms"),
                outcomeCase("tokens beyond long", with(outcome(), "usage", map("tokens_in", new java.math.BigInteger("99999999999999999999"))),
                        422, "usage.tokens_in"),
                outcomeCase("score not finite", "{\"task_id\":\"t\",\"agent_id\":\"a\",\"subscription_ref\":\"" + SUB
                        + "\",\"evidence\":{\"scores\":{\"s\":1e400}}}", 422, "evidence.scores.s"),
                // timestamps
                outcomeCase("occurred_at without zone", with(outcome(), "occurred_at", "2026-03-02T10:00:00"), 400, "occurred_at"),
                outcomeCase("occurred_at not a date", with(outcome(), "occurred_at", "yesterday"), 400, "occurred_at"),
                outcomeCase("occurred_at far future", with(outcome(), "occurred_at", "2030-01-01T00:00:00Z"), 422, "occurred_at"),
                outcomeCase("trace started_at without zone", evidence("traces", List.of(map("span_id", "s", "started_at",
                        "2026-03-02T10:00:00"))), 400, "evidence.traces[0].started_at"),
                // unknown fields
                outcomeCase("unknown field", with(outcome(), "task", "x"), 400, "task"),
                outcomeCase("unknown evidence field", evidence("output", map()), 400, "evidence.output"),
                outcomeCase("unknown usage field", with(outcome(), "usage", map("tokens", 1)), 400, "usage.tokens"),
                outcomeCase("unknown trace field", evidence("traces", List.of(map("span_id", "s", "tool", "x"))), 400,
                        "evidence.traces[0].tool"),
                // bodies that are not a JSON object
                outcomeCase("array body", "[]", 400, "body"),
                outcomeCase("string body", "\"outcome\"", 400, "body"),
                outcomeCase("number body", "42", 400, "body"),
                outcomeCase("null body", "null", 400, "body"),
                outcomeCase("empty body", "", 400, "body"),
                outcomeCase("truncated JSON", "{\"task_id\":", 400, "body"),
                outcomeCase("trailing garbage", json(outcome()) + " x", 400, "body"),
                outcomeCase("duplicate key", "{\"task_id\":\"a\",\"task_id\":\"b\"}", 400, "body"),
                outcomeCase("nesting too deep", "{\"evidence\":{\"outputs\":{\"deep\":" + deep + "}}}", 400, "body"),
                raw("invalid UTF-8", "/v1/outcomes", invalidUtf8, "application/json", 400, "body"),
                raw("10 MiB body", "/v1/outcomes", tenMiB, "application/json", 413, "body"),
                raw("text/plain", "/v1/outcomes", json(outcome()).getBytes(StandardCharsets.UTF_8), "text/plain", 415,
                        "Content-Type"),
                raw("latin-1 charset", "/v1/outcomes", json(outcome()).getBytes(StandardCharsets.UTF_8),
                        "application/json; charset=iso-8859-1", 415, "Content-Type"),
                // batches
                raw("outcomes not a list", "/v1/outcomes/batch", json(map("outcomes", "x")).getBytes(StandardCharsets.UTF_8),
                        "application/json", 400, "outcomes"),
                raw("outcomes missing", "/v1/outcomes/batch", "{}".getBytes(StandardCharsets.UTF_8), "application/json",
                        400, "outcomes"),
                raw("batch unknown field", "/v1/outcomes/batch", json(map("outcomes", List.of(outcome()), "dry_run", true))
                        .getBytes(StandardCharsets.UTF_8), "application/json", 400, "dry_run"),
                raw("events not a list", "/v1/usage/batch", json(map("events", map())).getBytes(StandardCharsets.UTF_8),
                        "application/json", 400, "events"),
                // usage records
                usageCase("usage tokens_in negative", with(usageRecord(), "tokens_in", -1), 422, "tokens_in"),
                usageCase("usage api_calls string", with(usageRecord(), "api_calls", "3"), 400, "api_calls"),
                usageCase("usage consumer_id null", with(usageRecord(), "consumer_id", null), 400, "consumer_id"),
                usageCase("usage timestamp without zone", with(usageRecord(), "timestamp", "2026-02-06T10:00:00"), 400, "timestamp"),
                usageCase("usage timestamp year 0", with(usageRecord(), "timestamp", "0000-01-01T00:00:00Z"), 422, "timestamp"),
                usageCase("usage unknown field", with(usageRecord(), "agent", "x"), 400, "agent"),
                usageCase("usage huge task_id", with(usageRecord(), "task_id", huge), 422, "task_id"),
                usageCase("usage array body", "[]", 400, "body")));
        return cases;
    }

    /**
     * An upload over the limit is answered 413 from its declared length, and the server closes the connection while
     * the client may still be writing the body; TCP can then drop the answer ("header parser received no bytes", once
     * in a few dozen full builds). Such a case is asked again, at most three times; a server that never answered 413
     * fails every attempt. (The JDK 17 client cannot wait for 100-continue here: it hangs on a final answer.)
     */
    private static TestApp.Resp send(Case c) {
        for (int attempt = 1; ; attempt++) {
            try {
                return app.send(app.request(c.path(), ADMIN).header("Content-Type", c.contentType())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(c.body())));
            } catch (java.io.UncheckedIOException e) {
                if (c.status() != 413 || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void malformed_input_is_a_problem_naming_the_field_and_writes_nothing(Case c) {
        var r = send(c);
        assertThat(r.status()).as(r.toString()).isEqualTo(c.status());
        assertThat(r.contentType()).startsWith("application/problem+json");
        var problem = r.json();
        assertThat(problem.path("status").asInt()).isEqualTo(c.status());
        assertThat(problem.path("type").asText()).startsWith("https://");
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).contains(c.field());
        assertThat(r.errorFields()).as(r.toString()).containsExactly(c.field());
        assertThat(r.text()).doesNotContain("Exception").doesNotContain("at io.");
    }

    static Stream<Arguments> nullBatchItems() {
        return Stream.of(
                arguments("/v1/outcomes/batch", map("outcomes", Arrays.asList((Object) null)), "outcomes[0]"),
                arguments("/v1/outcomes/batch", map("outcomes", List.of(evidence("outputs", null))),
                        "outcomes[0].evidence.outputs"),
                arguments("/v1/outcomes/batch", map("outcomes", List.of(evidence("traces", Arrays.asList((Object) null)))),
                        "outcomes[0].evidence.traces[0]"),
                arguments("/v1/usage/batch", map("events", Arrays.asList((Object) null)), "events[0]"));
    }

    /** A batch answers per item: a null where an object belongs fails that item with a 400 naming the field. */
    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("nullBatchItems")
    void a_null_batch_item_or_evidence_object_fails_the_item_naming_the_field(String path, Object body, String field) {
        var r = app.post(path, ADMIN, json(body));

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode error = r.json().path("results").get(0).path("error");
        assertThat(error.path("status").asInt()).as(r.toString()).isEqualTo(400);
        assertThat(error.path("errors").get(0).path("field").asText()).isEqualTo(field);
    }

    @AfterEach
    void nothing_was_written() {
        assertThat(app.get("/v1/audit/" + CORR, ADMIN).status()).isEqualTo(404);
        assertThat(app.get("/v1/charges?subscription_ref=" + SUB, ADMIN).json().path("data")).isEmpty();
        assertThat(app.get("/v1/usage?consumer_id=" + SUB, ADMIN).json().path("total").asLong()).isZero();
    }
}
