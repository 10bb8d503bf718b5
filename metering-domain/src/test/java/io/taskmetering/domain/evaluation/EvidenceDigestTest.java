package io.taskmetering.domain.evaluation;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.taskmetering.domain.testdata.EvidenceBuilder.anEvidence;
import static org.assertj.core.api.Assertions.assertThat;

/** The digest a decision records must be stable forever and depend only on the evidence's content. */
class EvidenceDigestTest {

    /**
     * Pins the RFC 8785 form: stored decisions carry this digest and callers were answered with it, so it must never
     * change. (For this evidence the legacy form is the same text.) The expected digest was computed outside Java
     * ({@code printf '%s' "$json" | sha256sum}).
     */
    @Test
    void matchesTheGoldenDigestOfTheCanonicalJson() {
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("status", "completed");
        outputs.put("result", "Summary generated");
        outputs.put("pages", 12);
        outputs.put("ratio", 0.25);
        Evidence evidence = new Evidence(outputs,
                List.of(new TraceSpan("s1", null, "agent:summarizer", "ok",
                        Instant.parse("2025-06-01T14:00:00Z"), Instant.parse("2025-06-01T14:00:02Z")).toJson()),
                Map.of("intent_resolution", 4.0), "Summarize the Q3 report", "Revenue grew 12% YoY.");

        assertThat(CanonicalJson.write(evidence.toJsonLike())).isEqualTo("{\"outputs\":{\"pages\":12,\"ratio\":0.25,"
                + "\"result\":\"Summary generated\",\"status\":\"completed\"},\"query\":\"Summarize the Q3 report\","
                + "\"response\":\"Revenue grew 12% YoY.\",\"scores\":{\"intent_resolution\":4},\"traces\":[{"
                + "\"ended_at\":\"2025-06-01T14:00:02Z\",\"parent_span_id\":null,\"span_id\":\"s1\","
                + "\"started_at\":\"2025-06-01T14:00:00Z\",\"status\":\"ok\",\"tool_name\":\"agent:summarizer\"}]}");
        assertThat(EvidenceDigest.sha256(evidence))
                .isEqualTo("56f31bc054150e19c088c2dd618d64d1f8184af4dd78698acf6618bb2e2fa422");
    }

    @Test
    void isLowercaseHexOf64Characters() {
        assertThat(EvidenceDigest.sha256(Evidence.empty())).matches("[0-9a-f]{64}");
    }

    @Test
    void isDeterministic() {
        assertThat(EvidenceDigest.sha256(anEvidence().build())).isEqualTo(EvidenceDigest.sha256(anEvidence().build()));
    }

    @Test
    void ignoresMapOrderAtEveryLevel() {
        Map<String, Object> nestedForward = new LinkedHashMap<>();
        nestedForward.put("x", 1);
        nestedForward.put("y", List.of(Map.of("p", 1, "q", 2)));
        Map<String, Object> nestedBackward = new LinkedHashMap<>();
        nestedBackward.put("y", List.of(Map.of("q", 2, "p", 1)));
        nestedBackward.put("x", 1);
        Map<String, Double> scoresForward = new LinkedHashMap<>();
        scoresForward.put("a", 1.0);
        scoresForward.put("b", 2.0);
        Map<String, Double> scoresBackward = new LinkedHashMap<>();
        scoresBackward.put("b", 2.0);
        scoresBackward.put("a", 1.0);

        Evidence forward = new Evidence(Map.of("status", "completed", "nested", nestedForward), null, scoresForward, "q", "r");
        Evidence backward = new Evidence(Map.of("nested", nestedBackward, "status", "completed"), null, scoresBackward, "q", "r");

        assertThat(EvidenceDigest.sha256(forward)).isEqualTo(EvidenceDigest.sha256(backward));
    }

    @Test
    void ignoresHowANumberIsSpelled() {
        List<Object> ones = List.of(1, 1L, 1.0, new BigDecimal("1.000"));

        assertThat(ones).extracting(one -> EvidenceDigest.sha256(anEvidence().withOutput("n", one).build()))
                .containsOnly(EvidenceDigest.sha256(anEvidence().withOutput("n", 1L).build()));
    }

    @Test
    void changesWithAnyContent() {
        String base = EvidenceDigest.sha256(anEvidence().build());

        assertThat(List.of(
                anEvidence().withOutput("result", "Summary generated.").build(),
                anEvidence().withOutput("extra", null).build(),
                anEvidence().withQuery("Summarize the Q4 report").build(),
                anEvidence().withResponse(null).build(),
                anEvidence().withScore("intent_resolution", 3.0).build(),
                anEvidence().withTrace(new TraceSpan("s1", null, null, null, null, null)).build(),
                anEvidence().withOutput("n", 1L).build(),
                anEvidence().withOutput("n", "1").build()))
                .extracting(EvidenceDigest::sha256)
                .doesNotContain(base)
                .doesNotHaveDuplicates();
    }
}
