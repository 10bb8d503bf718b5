package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.HexFormat;

import static io.taskmetering.adapter.rest.TestApp.AGENT_A;
import static io.taskmetering.adapter.rest.TestApp.READER_A;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the API promises an auditor: SHA-256 over the RFC 8785 form of an audit bundle's {@code evidence} equals the
 * bundle's {@code evidence_sha256}, recomputed here with an independent JCS implementation.
 */
class EvidenceDigestApiTest {
    /** Numbers, names and text whose RFC 8785 form differs from how they were sent (and from Java's spelling). */
    private static final String OUTCOME = """
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

    static TestApp app;

    @BeforeAll
    static void start() {
        app = new TestApp();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void anAuditorRecomputesTheDigestOfTheBundlesEvidenceWithAnyJcsImplementation() throws Exception {
        var recorded = app.post("/v1/outcomes", AGENT_A, OUTCOME);
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
