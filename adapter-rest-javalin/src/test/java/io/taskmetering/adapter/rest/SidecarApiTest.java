package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static io.taskmetering.adapter.rest.Bodies.map;
import static io.taskmetering.adapter.rest.TestApp.ADMIN;
import static io.taskmetering.adapter.rest.TestApp.AGENT_A;
import static io.taskmetering.adapter.rest.TestApp.READER_A;
import static io.taskmetering.adapter.rest.TestApp.READER_B;
import static io.taskmetering.adapter.rest.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The Python sidecar's routes: same shapes and error bodies, without its defects. */
class SidecarApiTest {
    @RegisterExtension
    static final TestApp app = new TestApp();

    /** Every sidecar route that takes evidence ({@code /record_task_completed} records its own). */
    private static final List<String> EVIDENCE_ROUTES = List.of("/evaluate", "/evaluate_intent_handling",
            "/evaluate_task_adherence", "/evaluate_and_meter_task");
    private static final ObjectMapper EXACT = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static Object sidecarBody(String task, String correlationId) {
        return map("task_id", task, "agent_id", "agent-7", "subscription_ref", "sub-a", "correlation_id", correlationId,
                "evidence", map("outputs", map("terminal_success", true), "scores", map("intent_resolution", 4.0),
                        "query", "q", "response", "r", "unknown_key", 1),
                "extra_field", "ignored like the original");
    }

    @Test
    void evaluate_honours_the_callers_correlation_id_and_the_audit_lookup_works() {
        var r = app.post("/evaluate", AGENT_A, json(sidecarBody("sc-1", "sc-corr-1")));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode b = r.json();
        assertThat(fieldNames(b)).containsExactly("intent_handled", "adhered", "billable_units", "reason_codes", "correlation_id");
        assertThat(b.path("correlation_id").asText()).isEqualTo("sc-corr-1");
        assertThat(b.path("reason_codes")).hasSize(5);
        assertThat(b.path("billable_units").asInt()).isEqualTo(1);

        var audit = app.get("/audit/sc-corr-1", READER_A);
        assertThat(audit.status()).as(audit.toString()).isEqualTo(200);
        assertThat(fieldNames(audit.json())).containsExactly("correlation_id", "task_id", "agent_id", "subscription_ref",
                "evidence", "intent_handled", "adhered", "billable_units", "reason_codes", "timestamp", "metadata");
        assertThat(fieldNames(audit.json().path("evidence"))).containsExactly("outputs", "traces", "scores", "query", "response");
        assertThat(audit.json().path("evidence").path("scores").path("intent_resolution").asDouble()).isEqualTo(4.0);
        // nothing billed
        assertThat(app.get("/v1/charges?subscription_ref=sub-a", ADMIN).text()).doesNotContain("sc-corr-1");
    }

    @Test
    void evaluate_and_meter_task_stores_the_audit_under_the_echoed_id() {
        var r = app.post("/evaluate_and_meter_task", AGENT_A, json(sidecarBody("sc-2", "sc-corr-2")));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(fieldNames(r.json())).containsExactly("intent_handled", "adhered", "billable_units", "reason_codes",
                "correlation_id", "recorded");
        assertThat(r.json().path("correlation_id").asText()).isEqualTo("sc-corr-2");
        assertThat(r.json().path("recorded").asBoolean()).isTrue();
        assertThat(app.get("/audit/sc-corr-2", READER_A).status()).isEqualTo(200);
        assertThat(app.get("/v1/audit/sc-corr-2", READER_A).json().path("charge").path("state").asText()).isEqualTo("QUALIFIED");

        // the same task again under another id is a duplicate: not recorded
        var dup = app.post("/evaluate_and_meter_task", AGENT_A, json(sidecarBody("sc-2", "sc-corr-2b")));
        assertThat(dup.json().path("recorded").asBoolean()).isFalse();
        // the same id again replays
        var replay = app.post("/evaluate_and_meter_task", AGENT_A, json(sidecarBody("sc-2", "sc-corr-2")));
        assertThat(replay.json().path("recorded").asBoolean()).isTrue();
    }

    @Test
    void gate_routes_answer_their_own_shapes() {
        var intent = app.post("/evaluate_intent_handling", AGENT_A, json(sidecarBody("sc-3", null)));
        assertThat(intent.status()).isEqualTo(200);
        assertThat(fieldNames(intent.json())).containsExactly("correlation_id", "intent_handled", "reason");
        assertThat(intent.json().path("reason").asText()).startsWith("intent_resolution:");
        assertThat(intent.json().path("correlation_id").asText()).isNotBlank();

        var adherence = app.post("/evaluate_task_adherence", AGENT_A, json(sidecarBody("sc-4", "sc-corr-4")));
        assertThat(fieldNames(adherence.json())).containsExactly("correlation_id", "adhered", "reason_codes");
        assertThat(adherence.json().path("reason_codes")).hasSize(4);
        assertThat(adherence.json().path("reason_codes").get(0).asText()).isEqualTo("terminal_success:passed");
    }

    @Test
    void record_task_completed_records_an_asserted_success() {
        var r = app.post("/record_task_completed", AGENT_A, json(map("task_id", "sc-5", "subscription_ref", "sub-a",
                "correlation_id", "sc-corr-5")));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(fieldNames(r.json())).containsExactly("correlation_id", "recorded");
        assertThat(r.json().path("recorded").asBoolean()).isTrue();
        JsonNode audit = app.get("/v1/audit/sc-corr-5", READER_A).json();
        assertThat(audit.path("agent_id").asText()).isEqualTo("sidecar");
        assertThat(audit.path("evidence").path("outputs").path("source").asText()).isEqualTo("record_task_completed");
        assertThat(audit.path("evidence").path("outputs").path("terminal_success").asBoolean()).isTrue();
        var dup = app.post("/record_task_completed", AGENT_A, json(map("task_id", "sc-5", "subscription_ref", "sub-a")));
        assertThat(dup.json().path("recorded").asBoolean()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"text\"", "42", "null", "{not json", ""})
    void a_body_that_is_not_a_json_object_is_invalid_json(String body) {
        var r = app.post("/evaluate", AGENT_A, body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).isEqualTo("{\"error\":\"Invalid JSON\"}");
    }

    @Test
    void missing_fields_are_listed_in_order() {
        var r = app.post("/evaluate", AGENT_A, json(map("agent_id", "a")));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").asText()).isEqualTo("Missing fields: task_id, subscription_ref");
        var nulls = app.post("/evaluate_and_meter_task", AGENT_A, "{\"task_id\":null,\"agent_id\":\"a\",\"subscription_ref\":\"sub-a\"}");
        assertThat(nulls.json().path("error").asText()).isEqualTo("Missing fields: task_id");
        var record = app.post("/record_task_completed", AGENT_A, "{}");
        assertThat(record.json().path("error").asText()).isEqualTo("Missing fields: task_id, subscription_ref");
    }

    static Stream<Arguments> nullsWhereAnObjectOrListBelongs() {
        String head = "{\"task_id\":\"sc-null\",\"agent_id\":\"a\",\"subscription_ref\":\"sub-a\",\"correlation_id\":\"sc-null\",";
        return EVIDENCE_ROUTES.stream().flatMap(route -> Stream.of(
                arguments(route, head + "\"evidence\":null}", "evidence"),
                arguments(route, head + "\"evidence\":{\"outputs\":null}}", "evidence.outputs"),
                arguments(route, head + "\"evidence\":{\"scores\":null}}", "evidence.scores"),
                arguments(route, head + "\"evidence\":{\"traces\":null}}", "evidence.traces"),
                arguments(route, head + "\"evidence\":{\"traces\":[{\"step\":1},null]}}", "evidence.traces[1]")));
    }

    /** The original read these as "nothing reported" and failed the task; a client defect must not look like that. */
    @ParameterizedTest(name = "[{index}] {0} {2}")
    @MethodSource("nullsWhereAnObjectOrListBelongs")
    void a_null_where_an_object_or_list_belongs_is_a_400_naming_it_and_writes_nothing(String route, String body,
                                                                                       String field) {
        var r = app.post(route, AGENT_A, body);

        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().path("error").asText()).startsWith(field + ": must be ");
        assertThat(app.get("/audit/sc-null", READER_A).status()).isEqualTo(404);
        assertThat(app.get("/v1/charges?subscription_ref=sub-a", ADMIN).text()).doesNotContain("sc-null");
    }

    /** The original accepts any JSON objects as trace entries; they are kept as evidence, as sent, and digested. */
    @ParameterizedTest
    @MethodSource("evidenceRoutes")
    void trace_entries_of_any_shape_are_accepted_kept_and_digested(String route) throws Exception {
        String id = "sc-traces" + route.replace('/', '-');
        String body = "{\"task_id\":\"" + id + "\",\"agent_id\":\"a\",\"subscription_ref\":\"sub-a\","
                + "\"correlation_id\":\"" + id + "\",\"evidence\":{\"outputs\":{\"terminal_success\":true},"
                + "\"traces\":[{\"step\":1},{\"tool\":\"x\",\"ok\":true,\"args\":{\"q\":[1.5,null]}}]}}";

        var r = app.post(route, AGENT_A, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);

        String traces = "[{\"step\":1},{\"tool\":\"x\",\"ok\":true,\"args\":{\"q\":[1.5,null]}}]";
        JsonNode sidecarAudit = EXACT.readTree(app.get("/audit/" + id, READER_A).text());
        assertThat(sidecarAudit.path("evidence").path("traces")).isEqualTo(EXACT.readTree(traces));
        JsonNode bundle = EXACT.readTree(app.get("/v1/audit/" + id, READER_A).text());
        assertThat(bundle.path("evidence").path("traces")).isEqualTo(EXACT.readTree(traces));

        byte[] canonical = new JsonCanonicalizer(EXACT.writeValueAsString(bundle.path("evidence"))).getEncodedUTF8();
        String recomputed = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        assertThat(recomputed).as(new String(canonical, StandardCharsets.UTF_8))
                .isEqualTo(bundle.path("decision").path("evidence_sha256").asText())
                .isEqualTo(sidecarAudit.path("metadata").path("evidence_sha256").asText());
        assertThat(new String(canonical, StandardCharsets.UTF_8))
                .contains("\"traces\":[{\"step\":1},{\"args\":{\"q\":[1.5,null]},\"ok\":true,\"tool\":\"x\"}]");
    }

    static List<String> evidenceRoutes() {
        return EVIDENCE_ROUTES;
    }

    @Test
    void bad_types_are_clean_400s_with_the_sidecar_error_shape() {
        var score = app.post("/evaluate", AGENT_A, json(map("task_id", "sc-8", "agent_id", "a", "subscription_ref", "sub-a",
                "evidence", map("scores", map("intent_resolution", "high")))));
        assertThat(score.status()).isEqualTo(400);
        assertThat(score.json().path("error").asText()).isEqualTo("evidence.scores.intent_resolution: must be a number");
        var evidence = app.post("/evaluate", AGENT_A, json(map("task_id", "sc-9", "agent_id", "a", "subscription_ref", "sub-a",
                "evidence", List.of(1))));
        assertThat(evidence.json().path("error").asText()).startsWith("evidence:");
        var outputs = app.post("/evaluate", AGENT_A, json(map("task_id", "sc-9", "agent_id", "a", "subscription_ref", "sub-a",
                "evidence", map("outputs", "done"))));
        assertThat(outputs.status()).isEqualTo(400);
        assertThat(outputs.json().path("error").asText()).startsWith("evidence.outputs");
        var task = app.post("/evaluate", AGENT_A, json(map("task_id", 12, "agent_id", "a", "subscription_ref", "sub-a")));
        assertThat(task.json().path("error").asText()).isEqualTo("task_id: must be a string");
    }

    @Test
    void unknown_routes_and_unknown_audit_records_answer_like_the_original() {
        var route = app.get("/nope", ADMIN);
        assertThat(route.status()).isEqualTo(404);
        assertThat(route.text()).isEqualTo("{\"error\":\"Not found\"}");
        var audit = app.get("/audit/unknown-id", READER_A);
        assertThat(audit.status()).isEqualTo(404);
        assertThat(audit.text()).isEqualTo("{\"error\":\"Audit record not found\"}");
    }

    @Test
    void sidecar_routes_follow_the_same_auth_and_scoping() {
        assertThat(app.post("/evaluate", null, json(sidecarBody("sc-10", null))).text())
                .isEqualTo("{\"error\":\"an Authorization: Bearer <key> header is required\"}");
        var foreign = app.post("/evaluate", TestApp.AGENT_B, json(sidecarBody("sc-10", null)));
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.json().path("error").asText()).startsWith("subscription_ref:");
        app.post("/evaluate", AGENT_A, json(sidecarBody("sc-11", "sc-corr-11")));
        var foreignAudit = app.get("/audit/sc-corr-11", READER_B);
        assertThat(foreignAudit.status()).isEqualTo(403);
        assertThat(foreignAudit.text()).doesNotContain("sub-a");
        // a reused id of another subscription is refused without showing its decision
        var reuse = app.post("/evaluate", TestApp.AGENT_B, json(map("task_id", "sc-11", "agent_id", "a",
                "subscription_ref", "sub-b", "correlation_id", "sc-corr-11")));
        assertThat(reuse.status()).isEqualTo(409);
        assertThat(reuse.text()).doesNotContain("reason_codes");
    }

    @Test
    void sidecar_routes_accept_any_content_type_like_the_original() {
        var r = app.send(app.request("/evaluate", AGENT_A).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(json(sidecarBody("sc-12", null)))));
        assertThat(r.status()).isEqualTo(200);
        assertThat(app.get("/health", null).text()).isEqualTo("{\"status\":\"ok\"}");
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
