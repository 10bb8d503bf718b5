package io.taskmetering.domain.evaluation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.taskmetering.domain.testdata.EvidenceBuilder.anEvidence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Evidence to and from the JSON-like shape of the API, and through JSON text. */
class EvidenceJsonTest {
    private final Evidence evidence = anEvidence()
            .withOutput("items", List.of(1, Map.of("k", "v")))
            .withOutput("note", null)
            .withScore("intent_resolution", 4.5)
            .withTrace(new TraceSpan("s1", null, "agent:planner", "ok", EvidenceTest.STARTED, EvidenceTest.ENDED))
            .withTrace(new TraceSpan("s2", "s1", null, null, null, null))
            .build();

    @Test
    void usesTheApiShapeWithSnakeCaseAndIsoInstants() {
        Map<String, Object> json = evidence.toJsonLike();

        assertThat(List.copyOf(json.keySet())).isEqualTo(List.of("outputs", "traces", "scores", "query", "response"));
        assertThat(json.get("outputs")).isEqualTo(evidence.outputs());
        assertThat(json.get("scores")).isEqualTo(Map.of("intent_resolution", 4.5));
        assertThat(json.get("query")).isEqualTo("Summarize the Q3 report");
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("span_id", "s1");
        first.put("parent_span_id", null);
        first.put("tool_name", "agent:planner");
        first.put("status", "ok");
        first.put("started_at", "2025-06-01T14:00:00Z");
        first.put("ended_at", "2025-06-01T14:00:01.250Z");
        Map<String, Object> second = new LinkedHashMap<>();
        second.put("span_id", "s2");
        second.put("parent_span_id", "s1");
        second.put("tool_name", null);
        second.put("status", null);
        second.put("started_at", null);
        second.put("ended_at", null);
        assertThat(json.get("traces")).isEqualTo(List.of(first, second));
        assertThatThrownBy(() -> json.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void fromJsonLikeIsTheExactInverse() {
        assertThat(Evidence.fromJsonLike(evidence.toJsonLike())).isEqualTo(evidence);
        assertThat(Evidence.fromJsonLike(Evidence.empty().toJsonLike())).isEqualTo(Evidence.empty());
    }

    @Test
    void treatsMissingKeysAndNullTextsAsAbsentAndIgnoresUnknownKeys() {
        Map<String, Object> json = new HashMap<>();
        json.put("query", null);
        json.put("response", null);
        json.put("future_field", List.of(1));

        assertThat(Evidence.fromJsonLike(json)).isEqualTo(Evidence.empty());
        assertThat(Evidence.fromJsonLike(Map.of())).isEqualTo(Evidence.empty());
    }

    @Test
    void acceptsScoresOfAnyNumberType() {
        Evidence parsed = Evidence.fromJsonLike(Map.of("scores", Map.of("a", 4L, "b", new BigDecimal("2.5"))));

        assertThat(parsed.scores()).isEqualTo(Map.of("a", 4.0, "b", 2.5));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                arguments(Map.of("outputs", List.of()), "evidence.outputs"),
                arguments(Map.of("traces", Map.of()), "evidence.traces"),
                arguments(Map.of("traces", List.of("s1")), "evidence.traces[0]"),
                arguments(Map.of("traces", List.of(Map.of("step", 1L), List.of())), "evidence.traces[1]"),
                arguments(Map.of("traces", List.of(Map.of("step", Double.NaN))), "evidence.traces[0].step"),
                arguments(Map.of("traces", List.of(Map.of("\ud800", 1L))), "evidence.traces[0]"),
                arguments(Map.of("scores", List.of()), "evidence.scores"),
                arguments(Map.of("scores", Map.of("intent_resolution", "high")), "evidence.scores.intent_resolution"),
                arguments(Map.of("scores", Map.of("x", new BigDecimal("1E+400"))), "evidence.scores.x"),
                arguments(Map.of("scores", Map.of("lone \udc00", 1.0)), "evidence.scores"),
                arguments(Map.of("traces", List.of(Map.of("span_id", "s", "tool_name", "\ud800"))),
                        "evidence.traces[0].tool_name"),
                arguments(Map.of("query", "lone \ud800"), "evidence.query"),
                arguments(Map.of("response", "\udc00 lone"), "evidence.response"),
                arguments(Map.of("query", 42L), "evidence.query"),
                arguments(Map.of("response", List.of()), "evidence.response"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("malformed")
    void refusesMalformedJsonNamingTheField(Map<String, ?> json, String field) {
        EvidenceTest.assertRejected(() -> Evidence.fromJsonLike(json), field);
    }

    @Test
    void refusesNull() {
        EvidenceTest.assertRejected(() -> Evidence.fromJsonLike(null), "evidence");
    }

    static Stream<Arguments> nullWhereAnObjectOrListBelongs() {
        return Stream.of(arguments("outputs", "evidence.outputs"), arguments("traces", "evidence.traces"),
                arguments("scores", "evidence.scores"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("nullWhereAnObjectOrListBelongs")
    void refusesNullWhereAnObjectOrListBelongs(String key, String field) {
        Map<String, Object> json = new HashMap<>();
        json.put(key, null);

        EvidenceTest.assertRejected(() -> Evidence.fromJsonLike(json), field);
    }

    @Test
    void refusesANullTraceEntry() {
        EvidenceTest.assertRejected(() -> Evidence.fromJsonLike(Map.of("traces", Arrays.asList(Map.of("step", 1L), null))),
                "evidence.traces[1]");
    }

    @Test
    void keepsTraceEntriesOfAnyShapeAsSent() {
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("tool", "x");
        tool.put("ok", true);
        tool.put("at", "2025-06-01T16:00:00+02:00");
        tool.put("detail", null);
        tool.put("args", Map.of("n", List.of(1L, new BigDecimal("2.5"))));
        List<Map<String, Object>> traces = List.of(Map.of("step", 1L), tool);

        Evidence parsed = Evidence.fromJsonLike(Map.of("traces", traces));

        assertThat(parsed.traces()).isEqualTo(List.of(Map.of("step", 1L), tool));
        assertThat(parsed.toJsonLike().get("traces")).isEqualTo(traces);
        assertThat(Evidence.fromJsonLike(parsed.toJsonLike())).isEqualTo(parsed);
        assertThat(CanonicalJson.write(parsed.toJsonLike())).contains(
                "\"traces\":[{\"step\":1},{\"args\":{\"n\":[1,2.5]},\"at\":\"2025-06-01T16:00:00+02:00\","
                        + "\"detail\":null,\"ok\":true,\"tool\":\"x\"}]");
    }

    @Test
    void keepsANativeSpanAsItsJsonObject() {
        TraceSpan span = new TraceSpan("s", "p", "agent:a", "ok", EvidenceTest.STARTED, null);

        Evidence evidence = anEvidence().withTrace(span).build();

        assertThat(evidence.traces()).containsExactly(span.toJson());
        assertThat(evidence.traces().get(0)).containsEntry("started_at", "2025-06-01T14:00:00Z").containsEntry("ended_at", null);
    }
}
