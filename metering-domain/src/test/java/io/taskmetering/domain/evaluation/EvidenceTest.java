package io.taskmetering.domain.evaluation;

import io.taskmetering.domain.common.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Evidence holds only what JSON can carry, in one canonical form, and never changes after construction. */
class EvidenceTest {
    static final Instant STARTED = Instant.parse("2025-06-01T14:00:00Z");
    static final Instant ENDED = Instant.parse("2025-06-01T14:00:01.250Z");

    private static Evidence withOutputs(Map<String, Object> outputs) {
        return new Evidence(outputs, null, null, null, null);
    }

    private static Map<String, Object> single(String key, Object value) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(key, value);
        return map;
    }

    static void assertRejected(Runnable construction, String field) {
        assertThatThrownBy(construction::run)
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void nullCollectionsBecomeEmpty() {
        Evidence evidence = new Evidence(null, null, null, null, null);

        assertThat(evidence.outputs()).isEmpty();
        assertThat(evidence.traces()).isEmpty();
        assertThat(evidence.scores()).isEmpty();
        assertThat(evidence).isEqualTo(Evidence.empty());
    }

    @Test
    void keepsInsertionOrderAndNullValues() {
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("z", 1);
        outputs.put("a", null);
        outputs.put("m", Arrays.asList("x", null));

        Evidence evidence = withOutputs(outputs);

        assertThat(List.copyOf(evidence.outputs().keySet())).isEqualTo(List.of("z", "a", "m"));
        assertThat(evidence.outputs()).containsEntry("a", null);
        assertThat(evidence.outputs().get("m")).isEqualTo(Arrays.asList("x", null));
    }

    @Test
    void isDeeplyUnmodifiableAndDetachedFromItsSource() {
        List<Object> items = new ArrayList<>(List.of("a"));
        Map<String, Object> nested = new HashMap<>(Map.of("items", items));
        Map<String, Object> outputs = new HashMap<>(Map.of("nested", nested));
        List<Map<String, Object>> traces = new ArrayList<>(List.of(new HashMap<>(Map.of("step", 1L))));
        Map<String, Double> scores = new HashMap<>(Map.of("intent_resolution", 4.0));
        Evidence evidence = new Evidence(outputs, traces, scores, "q", "r");

        items.add("b");
        nested.put("other", 1);
        outputs.put("late", true);
        traces.get(0).put("late", true);
        traces.add(Map.of());
        scores.clear();

        assertThat(evidence.outputs()).isEqualTo(Map.of("nested", Map.of("items", List.of("a"))));
        assertThat(evidence.traces()).isEqualTo(List.of(Map.of("step", 1L)));
        assertThat(evidence.scores()).containsOnlyKeys("intent_resolution");
        Map<?, ?> copiedNested = (Map<?, ?>) evidence.outputs().get("nested");
        List<?> copiedItems = (List<?>) copiedNested.get("items");
        assertThatThrownBy(() -> evidence.outputs().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> copiedNested.clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> copiedItems.clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> evidence.traces().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> evidence.traces().get(0).clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> evidence.scores().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    static Stream<Arguments> normalisedNumbers() {
        return Stream.of(
                arguments(5, 5L),
                arguments(5L, 5L),
                arguments(BigInteger.valueOf(7), 7L),
                arguments(BigInteger.TWO.pow(64), new BigDecimal("18446744073709551616")),
                arguments(2.0, 2L),
                arguments(-0.0, 0L),
                arguments(2.5, new BigDecimal("2.5")),
                arguments(0.1f, new BigDecimal("0.1")),
                arguments(new BigDecimal("2.50"), new BigDecimal("2.5")),
                arguments(new BigDecimal("4.000"), 4L),
                arguments(new BigDecimal("1E+2"), 100L),
                arguments(1e300, new BigDecimal("1E+300")));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("normalisedNumbers")
    void bringsNumbersToOneCanonicalForm(Number given, Number expected) {
        Evidence evidence = withOutputs(single("n", List.of(given)));

        assertThat(((List<?>) evidence.outputs().get("n")).get(0)).isEqualTo(expected);
    }

    @Test
    void equalContentIsEqualEvidenceWhateverTheOrderOrNumberSpelling() {
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("a", 1);
        first.put("b", new BigDecimal("2.50"));
        Map<String, Object> second = new LinkedHashMap<>();
        second.put("b", 2.5);
        second.put("a", 1.0);

        assertThat(withOutputs(first)).isEqualTo(withOutputs(second)).hasSameHashCodeAs(withOutputs(second));
    }

    static Stream<Arguments> rejectedOutputs() {
        Map<Object, Object> integerKey = new HashMap<>();
        integerKey.put(1, "x");
        Object tooDeep = List.of();
        for (int i = 0; i < 62; i++) {
            tooDeep = List.of(tooDeep);
        }
        return Stream.of(
                arguments(single("ratio", Double.NaN), "evidence.outputs.ratio"),
                arguments(single("ratio", Double.POSITIVE_INFINITY), "evidence.outputs.ratio"),
                arguments(single("ratio", Float.NaN), "evidence.outputs.ratio"),
                arguments(single("big", new BigDecimal("1E+1001")), "evidence.outputs.big"),
                arguments(single("big", new BigDecimal("1E+309")), "evidence.outputs.big"),
                arguments(single("big", BigInteger.TWO.pow(1024)), "evidence.outputs.big"),
                arguments(single("text", "lone \ud800 surrogate"), "evidence.outputs.text"),
                arguments(single("list", List.of("ok", "\udc00")), "evidence.outputs.list[1]"),
                arguments(single("lone \ud800", "name"), "evidence.outputs"),
                arguments(single("metrics", Map.of("values", List.of(1.0, Double.NaN))),
                        "evidence.outputs.metrics.values[1]"),
                arguments(single("when", Instant.EPOCH), "evidence.outputs.when"),
                arguments(single("day", LocalDate.EPOCH), "evidence.outputs.day"),
                arguments(single("set", Set.of("a")), "evidence.outputs.set"),
                arguments(single("chars", new char[] {'a'}), "evidence.outputs.chars"),
                arguments(single("char", 'a'), "evidence.outputs.char"),
                arguments(single("counter", new AtomicLong(1)), "evidence.outputs.counter"),
                arguments(single("short", (short) 1), "evidence.outputs.short"),
                arguments(single("nested", integerKey), "evidence.outputs.nested"),
                arguments(single("deep", tooDeep), "evidence.outputs.deep" + "[0]".repeat(62)));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("rejectedOutputs")
    void refusesOutputsJsonCannotCarryNamingTheField(Map<String, Object> outputs, String field) {
        assertRejected(() -> withOutputs(outputs), field);
    }

    @Test
    void acceptsNestingThatStillFitsTheJsonDepthLimit() {
        Object deepest = List.of();
        for (int i = 0; i < 61; i++) {
            deepest = List.of(deepest);
        }
        Evidence evidence = withOutputs(single("deep", deepest));

        assertThat(Evidence.fromJsonLike(evidence.toJsonLike())).isEqualTo(evidence);
        assertThat(CanonicalJson.write(evidence.toJsonLike())).endsWith("]]]},\"query\":null,\"response\":null,"
                + "\"scores\":{},\"traces\":[]}");
    }

    @Test
    void refusesANullOutputKey() {
        assertRejected(() -> withOutputs(single(null, "x")), "evidence.outputs");
    }

    @Test
    void refusesNonFiniteOrMissingScores() {
        assertRejected(() -> new Evidence(null, null, Map.of("intent_resolution", Double.NaN), null, null),
                "evidence.scores.intent_resolution");
        assertRejected(() -> new Evidence(null, null, Map.of("x", Double.NEGATIVE_INFINITY), null, null),
                "evidence.scores.x");
        Map<String, Double> nullScore = new HashMap<>();
        nullScore.put("x", null);
        assertRejected(() -> new Evidence(null, null, nullScore, null, null), "evidence.scores.x");
        Map<String, Double> nullName = new HashMap<>();
        nullName.put(null, 1.0);
        assertRejected(() -> new Evidence(null, null, nullName, null, null), "evidence.scores");
    }

    @Test
    void treatsNegativeZeroScoreAsZero() {
        Evidence evidence = new Evidence(null, null, Map.of("s", -0.0), null, null);

        assertThat(evidence).isEqualTo(new Evidence(null, null, Map.of("s", 0.0), null, null));
    }

    @Test
    void refusesANullTraceEntry() {
        assertRejected(() -> new Evidence(null, Arrays.asList((Map<String, Object>) null), null, null, null),
                "evidence.traces[0]");
    }

    @Test
    void traceSpanNeedsOnlyItsId() {
        assertThat(new TraceSpan("s1", null, null, null, null, null).spanId()).isEqualTo("s1");
        assertRejected(() -> new TraceSpan(null, "p", "t", "ok", STARTED, ENDED), "traces.span_id");
        assertRejected(() -> new TraceSpan("  ", "p", "t", "ok", STARTED, ENDED), "traces.span_id");
    }
}
