package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.taskmetering.adapter.rest.Bodies.failedOutcome;
import static io.taskmetering.adapter.rest.Bodies.map;
import static io.taskmetering.adapter.rest.Bodies.outcome;
import static io.taskmetering.adapter.rest.Bodies.with;
import static io.taskmetering.adapter.rest.TestApp.ADMIN;
import static io.taskmetering.adapter.rest.TestApp.AGENT_A;
import static io.taskmetering.adapter.rest.TestApp.READER_A;
import static io.taskmetering.adapter.rest.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Outcomes, batches, evaluations and the evidence bundle over real HTTP and the real stack. */
class OutcomeApiTest {
    /** Numbers, names and text whose RFC 8785 form differs from how they were sent (and from Java's spelling). */
    private static final String JCS_OUTCOME = """
            {"task_id": "t-jcs", "agent_id": "agent-1", "subscription_ref": "sub-a", "correlation_id": "corr-jcs",
             "evidence": {
               "outputs": {"terminal_success": true, "\\u20ac": 1E21, "\\r": 1.0e-7, "big": 9007199254740993,
                           "precise": 0.100000000000000000000001, "huge": 123456789012345678901234567890,
                           "nested": {"z": [1.50, -0.0, "\\ud83d\\ude00 \\u0000 \\/ \\u2028"], "a": null},
                           "\\u00fcn\\u00efc\\u00f8d\\u00e9": "\\u007f", "1": 333333333.33333329},
               "traces": [{"span_id": "s1", "tool_name": "search", "started_at": "2026-03-02T10:00:01.500Z"}],
               "scores": {"intent_resolution": 4.50, "tiny": 1e-7},
               "query": "q", "response": "r"}}""";
    private static final ObjectMapper EXACT = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @RegisterExtension
    static final TestApp app = new TestApp();

    @Test
    void a_billable_outcome_is_charged_and_answers_201_with_the_whole_result() {
        var r = app.post("/v1/outcomes", AGENT_A, json(with(outcome("o-1", "sub-a"), "correlation_id", "corr-o-1",
                "workflow_id", "wf-9", "usage", map("tokens_in", 10, "tokens_out", 5, "duration_ms", 700, "api_calls", 1))));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode b = r.json();
        assertThat(b.path("correlation_id").asText()).isEqualTo("corr-o-1");
        assertThat(b.path("task_id").asText()).isEqualTo("o-1");
        assertThat(b.path("subscription_ref").asText()).isEqualTo("sub-a");
        assertThat(b.path("intent_handled").asBoolean()).isTrue();
        assertThat(b.path("adhered").asBoolean()).isTrue();
        assertThat(b.path("billable_units").asInt()).isEqualTo(1);
        assertThat(b.path("reason_codes")).hasSize(5);
        assertThat(b.path("reason_codes").get(0).asText()).isEqualTo("intent_resolution:skipped");
        assertThat(b.path("charge_state").asText()).isEqualTo("QUALIFIED");
        assertThat(b.path("duplicate").asBoolean()).isFalse();
        assertThat(b.path("late").asBoolean()).isFalse();
        assertThat(b.path("billing_hour").asText()).isEqualTo("2026-03-02T10:00:00Z");
        assertThat(b.path("contract_version").asText()).isEqualTo("default-v1");
        assertThat(b.path("evidence_sha256").asText()).hasSize(64);
        assertThat(b.has("charge_correlation_id")).isTrue();

        // the usage that came with it is stored as a usage record of the task (consumer = subscription)
        var usage = app.get("/v1/usage/o-1", ADMIN);
        assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
        assertThat(usage.json().path("data").get(0).path("consumer_id").asText()).isEqualTo("sub-a");
    }

    @Test
    void a_not_billable_outcome_is_201_with_null_charge_state() {
        var r = app.post("/v1/outcomes", AGENT_A, json(failedOutcome("o-fail", "sub-a")));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().path("charge_state").isNull()).isTrue();
        assertThat(r.json().path("billable_units").asInt()).isZero();
        assertThat(r.json().path("reason_codes").get(1).asText()).isEqualTo("terminal_success:failed");
    }

    @Test
    void the_same_correlation_id_again_is_200_with_the_stored_result() {
        var first = app.post("/v1/outcomes", AGENT_A, json(with(outcome("o-replay", "sub-a"), "correlation_id", "corr-replay")));
        assertThat(first.status()).isEqualTo(201);
        // even with other evidence, the stored decision is returned, not a new evaluation
        var again = app.post("/v1/outcomes", AGENT_A, json(with(failedOutcome("o-replay", "sub-a"), "correlation_id", "corr-replay")));
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().path("replayed").asBoolean()).isTrue();
        assertThat(again.json().path("charge_state").asText()).isEqualTo("QUALIFIED");
        assertThat(again.json().path("evidence_sha256").asText()).isEqualTo(first.json().path("evidence_sha256").asText());
    }

    @Test
    void a_reused_correlation_id_for_another_task_is_409() {
        app.post("/v1/outcomes", AGENT_A, json(with(outcome("o-reuse-1", "sub-a"), "correlation_id", "corr-reuse")));
        var r = app.post("/v1/outcomes", AGENT_A, json(with(outcome("o-reuse-2", "sub-a"), "correlation_id", "corr-reuse")));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.errorFields()).containsExactly("correlation_id");
    }

    @Test
    void a_duplicate_task_is_200_with_duplicate_true_and_the_original_charge() {
        var first = app.post("/v1/outcomes", AGENT_A, json(with(outcome("o-dup", "sub-a"), "correlation_id", "corr-dup-1")));
        assertThat(first.status()).isEqualTo(201);
        var retry = app.post("/v1/outcomes", AGENT_A, json(with(outcome("o-dup", "sub-a"), "correlation_id", "corr-dup-2")));
        assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
        assertThat(retry.json().path("duplicate").asBoolean()).isTrue();
        assertThat(retry.json().path("correlation_id").asText()).isEqualTo("corr-dup-2");
        assertThat(retry.json().path("charge_correlation_id").asText()).isEqualTo("corr-dup-1");
        assertThat(retry.json().path("charge_state").isNull()).isTrue();
        // the duplicate is visible in metrics
        assertThat(app.get("/metrics", null).text()).contains("metering_duplicates_suppressed_total");
    }

    @Test
    void an_outcome_of_a_closed_hour_is_late_and_billed_in_the_oldest_open_hour() {
        var r = app.post("/v1/outcomes", AGENT_A, json(with(outcome("o-late", "sub-a"), "occurred_at", "2026-03-02T08:30:00Z")));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().path("late").asBoolean()).isTrue();
        assertThat(r.json().path("billing_hour").asText()).isEqualTo("2026-03-02T10:00:00Z");
    }

    @Test
    void occurred_at_with_an_offset_is_accepted_and_answered_in_utc() {
        var r = app.post("/v1/outcomes", AGENT_A, json(with(outcome("o-offset", "sub-a"), "correlation_id", "corr-offset",
                "occurred_at", "2026-03-02T11:05:00+01:00")));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        var audit = app.get("/v1/audit/corr-offset", READER_A);
        assertThat(audit.json().path("occurred_at").asText()).isEqualTo("2026-03-02T10:05:00Z");
    }

    @Test
    void a_batch_answers_each_item_in_order_and_one_bad_item_blocks_nothing() {
        List<Object> items = new ArrayList<>();
        items.add(outcome("b-1", "sub-a"));
        items.add(map("task_id", "b-2", "subscription_ref", "sub-a"));   // agent_id missing
        items.add(outcome("b-3", "sub-b"));                              // outside the key's scope
        items.add(failedOutcome("b-4", "sub-a"));
        items.add(outcome("b-1", "sub-a"));                              // duplicate of item 0
        var r = app.post("/v1/outcomes/batch", AGENT_A, json(map("outcomes", items)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode results = r.json().path("results");
        assertThat(results).hasSize(5);
        assertThat(results.get(0).path("index").asInt()).isZero();
        assertThat(results.get(0).path("status").asInt()).isEqualTo(201);
        assertThat(results.get(0).path("charge_state").asText()).isEqualTo("QUALIFIED");
        assertThat(results.get(0).has("charge_correlation_id")).isTrue();
        assertThat(results.get(1).path("error").path("status").asInt()).isEqualTo(400);
        assertThat(results.get(1).path("error").path("errors").get(0).path("field").asText()).isEqualTo("outcomes[1].agent_id");
        assertThat(results.get(2).path("error").path("status").asInt()).isEqualTo(403);
        assertThat(results.get(3).path("charge_state").isNull()).isTrue();
        assertThat(results.get(4).path("duplicate").asBoolean()).isTrue();
        assertThat(results.get(4).path("status").asInt()).isEqualTo(200);
        // nothing of sub-b was written
        assertThat(app.get("/v1/charges?subscription_ref=sub-b", ADMIN).json().path("data").toString()).doesNotContain("b-3");
    }

    @Test
    void a_batch_must_hold_one_to_the_limit_of_outcomes() {
        assertThat(app.post("/v1/outcomes/batch", AGENT_A, json(map("outcomes", List.of()))).errorFields())
                .containsExactly("outcomes");
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            many.add(Map.of("task_id", "x"));
        }
        var r = app.post("/v1/outcomes/batch", AGENT_A, json(map("outcomes", many)));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.errorFields()).containsExactly("outcomes");
    }

    @Test
    void an_evaluation_charges_nothing_but_is_stored_and_auditable() {
        var r = app.post("/v1/evaluations", AGENT_A, json(with(outcome("e-1", "sub-a"), "correlation_id", "corr-eval-1")));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().path("billable_units").asInt()).isEqualTo(1);
        assertThat(r.json().has("charge_state")).isFalse();
        var again = app.post("/v1/evaluations", AGENT_A, json(with(outcome("e-1", "sub-a"), "correlation_id", "corr-eval-1")));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("replayed").asBoolean()).isTrue();
        var audit = app.get("/v1/audit/corr-eval-1", READER_A);
        assertThat(audit.status()).isEqualTo(200);
        assertThat(audit.json().path("kind").asText()).isEqualTo("evaluation_only");
        assertThat(audit.json().path("charge").isNull()).isTrue();
        assertThat(app.get("/v1/charges?subscription_ref=sub-a", READER_A).text()).doesNotContain("\"e-1\"");
    }

    @Test
    void evaluations_refuse_usage_as_an_unknown_field() {
        var r = app.post("/v1/evaluations", AGENT_A, json(with(outcome("e-2", "sub-a"), "usage", map("tokens_in", 1))));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorFields()).containsExactly("usage");
    }

    @Test
    void the_evidence_bundle_explains_the_charge_down_to_the_marketplace_answer() {
        // its own stack: closing hours changes what every later outcome of the same hours does
        try (TestApp app = new TestApp().start()) {
            app.post("/v1/outcomes", AGENT_A, json(with(outcome("o-bundle", "sub-a"), "correlation_id", "corr-bundle",
                    "agent_version", "1.2.3", "evidence", map("outputs", map("terminal_success", true),
                            "traces", List.of(map("span_id", "s1", "tool_name", "search", "started_at", "2026-03-02T10:00:01Z")),
                            "scores", map("intent_resolution", 4.5), "query", "q", "response", "r"))));
            app.clock.advance(Duration.ofHours(1));
            var submit = app.post("/v1/usage-events/submit", ADMIN, null);
            assertThat(submit.status()).as(submit.toString()).isEqualTo(200);
            var r = app.get("/v1/audit/corr-bundle", READER_A);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonNode b = r.json();
            assertThat(b.path("kind").asText()).isEqualTo("metered");
            assertThat(b.path("metadata").path("agent_version").asText()).isEqualTo("1.2.3");
            assertThat(b.path("decision").path("gates")).hasSize(5);
            assertThat(b.path("decision").path("gates").get(1).path("reason_code").asText()).isEqualTo("terminal_success:passed");
            assertThat(b.path("decision").path("evidence_sha256").asText()).hasSize(64);
            assertThat(b.path("evidence").path("traces").get(0).path("started_at").asText()).isEqualTo("2026-03-02T10:00:01Z");
            assertThat(b.path("evidence").path("scores").path("intent_resolution").asDouble()).isEqualTo(4.5);
            assertThat(b.path("charge").path("state").asText()).isEqualTo("BILLABLE");
            assertThat(b.path("history")).hasSize(2);
            assertThat(b.path("history").get(0).path("type").asText()).isEqualTo("CHARGE");
            assertThat(b.path("history").get(1).path("to_state").asText()).isEqualTo("BILLABLE");
            assertThat(b.path("usage_event").path("status").asText()).isEqualTo("ACCEPTED");
            assertThat(b.path("usage_event").path("usage_event_id").asText()).startsWith("mp-").endsWith("-sub-a");
            assertThat(app.marketplace.sent()).hasSize(1);
        }
    }

    @Test
    void an_unknown_correlation_id_is_404_problem() {
        var r = app.get("/v1/audit/nope", READER_A);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().path("status").asInt()).isEqualTo(404);
        assertThat(r.json().path("type").asText()).endsWith("not-found");
    }

    /**
     * What the API promises an auditor: SHA-256 over the RFC 8785 form of an audit bundle's {@code evidence} equals the
     * bundle's {@code evidence_sha256}, recomputed here with an independent JCS implementation.
     */
    @Test
    void anAuditorRecomputesTheDigestOfTheBundlesEvidenceWithAnyJcsImplementation() throws Exception {
        var recorded = app.post("/v1/outcomes", AGENT_A, JCS_OUTCOME);
        assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);

        var audit = app.get("/v1/audit/corr-jcs", READER_A);
        assertThat(audit.status()).as(audit.toString()).isEqualTo(200);
        JsonNode bundle = EXACT.readTree(audit.text());
        String evidence = EXACT.writeValueAsString(bundle.path("evidence"));
        String canonical = new JsonCanonicalizer(evidence).getEncodedString();
        String recomputed = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(new JsonCanonicalizer(evidence).getEncodedUTF8()));

        assertThat(bundle.path("evidence_canonicalization").asText()).isEqualTo("RFC8785");
        assertThat(recomputed).as(canonical)
                .isEqualTo(bundle.path("decision").path("evidence_sha256").asText())
                .isEqualTo(recorded.json().path("evidence_sha256").asText());
        assertThat(canonical).contains("\"\\r\":1e-7", "\"big\":9007199254740992", "\"precise\":0.1", "\"€\":1e+21",
                "\"1\":333333333.3333333", "\"huge\":1.2345678901234568e+29");
        assertThat(bundle.path("evidence").path("outputs").path("precise").decimalValue())
                .as("the bundle shows the evidence as received").isEqualByComparingTo("0.100000000000000000000001");
    }

    /** RFC 8785 admits only valid Unicode and numbers a double can hold: other evidence is refused, naming the field. */
    @Test
    void evidenceWithoutAnRfc8785FormIsRefusedNamingTheField() {
        var loneSurrogate = app.post("/v1/outcomes", AGENT_A, """
                {"task_id": "t-lone", "agent_id": "agent-1", "subscription_ref": "sub-a",
                 "evidence": {"outputs": {"terminal_success": true, "note": "half a pair \\ud83d"}}}""");
        var beyondDouble = app.post("/v1/outcomes", AGENT_A, """
                {"task_id": "t-huge", "agent_id": "agent-1", "subscription_ref": "sub-a",
                 "evidence": {"outputs": {"terminal_success": true, "size": 1e400}}}""");

        assertThat(loneSurrogate.status()).as(loneSurrogate.toString()).isEqualTo(422);
        assertThat(loneSurrogate.errorFields()).containsExactly("evidence.outputs.note");
        assertThat(beyondDouble.status()).as(beyondDouble.toString()).isEqualTo(422);
        assertThat(beyondDouble.errorFields()).containsExactly("evidence.outputs.size");
    }
}
