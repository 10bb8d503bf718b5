package io.taskmetering.domain.evaluation;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The promises of the evaluation package that must hold for any input, not just the examples of the other tests. */
class EvaluationPropertiesTest {
    /** Marks an output the generated evidence leaves out, as opposed to one present with a null value. */
    private static final Object ABSENT = new Object();

    @Property
    void sameEvidenceAndContractGiveEqualDecisions(@ForAll("evidences") Evidence evidence,
                                                   @ForAll("contracts") ContractConfig config) {
        Evidence replayed = Evidence.fromJsonLike(evidence.toJsonLike());
        ContractConfig sameVersion = config.withVersion(config.version());

        Decision original = new AdherenceContract(config).evaluate(evidence);
        Decision replay = new AdherenceContract(sameVersion).evaluate(replayed);

        assertThat(replay).isEqualTo(original);
    }

    @Property
    void digestIgnoresMapInsertionOrder(@ForAll("jsonObjects") Map<String, Object> outputs,
                                        @ForAll("evidences") Evidence evidence, @ForAll long seed) {
        Random random = new Random(seed);
        Evidence original = new Evidence(outputs, evidence.traces(), evidence.scores(), evidence.query(),
                evidence.response());
        Evidence reordered = new Evidence(shuffled(outputs, random), evidence.traces(),
                shuffled(evidence.scores(), random), evidence.query(), evidence.response());

        assertThat(EvidenceDigest.sha256(reordered)).isEqualTo(EvidenceDigest.sha256(original));
        assertThat(reordered).isEqualTo(original);
    }

    @Property
    void billableExactlyWhenEveryGatePassedOrWasSkipped(@ForAll("evidences") Evidence evidence,
                                                        @ForAll("contracts") ContractConfig config) {
        Decision decision = new AdherenceContract(config).evaluate(evidence);
        boolean noGateFailed = decision.gates().stream().noneMatch(gate -> gate.outcome() == GateOutcome.FAILED);

        assertThat(decision.billableUnits() == 1).isEqualTo(noGateFailed);
        assertThat(decision.billableUnits()).isBetween(0, 1);
        assertThat(decision.gates()).extracting(GateResult::gate).containsExactly(Gate.values());

        Statistics.collect(decision.billable());
        Statistics.coverage(coverage -> {
            coverage.check(true).percentage(percent -> percent > 5);
            coverage.check(false).percentage(percent -> percent > 5);
        });
    }

    /** Evidence around the happy path, so that billable and non-billable decisions both occur often. */
    @Provide
    Arbitrary<Evidence> evidences() {
        Arbitrary<Object> status = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("completed", "success", "Completed")),
                Tuple.of(2, Arbitraries.of("failed", "", "timed_out")),
                Tuple.of(1, Arbitraries.just(ABSENT)));
        Arbitrary<Object> result = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("Summary generated", "42 rows")),
                Tuple.of(1, Arbitraries.of("", "  ")),
                Tuple.of(1, Arbitraries.just(ABSENT)));
        Arbitrary<Object> flag = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(true)),
                Tuple.of(1, Arbitraries.of(false, "true")),
                Tuple.of(2, Arbitraries.just(ABSENT)));
        Arbitrary<Object> agents = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of("agent-a", "agent-b").list().ofMaxSize(3)),
                Tuple.of(3, Arbitraries.just(ABSENT)));
        Arbitrary<Map<String, Object>> outputs = Combinators.combine(status, result, flag, flag, flag, flag, agents)
                .as((statusValue, resultValue, approved, handled, terminal, handoff, contributors) -> {
                    Map<String, Object> map = new LinkedHashMap<>();
                    putUnlessAbsent(map, "status", statusValue);
                    putUnlessAbsent(map, "result", resultValue);
                    putUnlessAbsent(map, "approved", approved);
                    putUnlessAbsent(map, "intent_handled", handled);
                    putUnlessAbsent(map, "terminal_success", terminal);
                    putUnlessAbsent(map, "human_handoff", handoff);
                    putUnlessAbsent(map, "contributing_agents", contributors);
                    return map;
                });
        Arbitrary<List<Map<String, Object>>> traces = Combinators.combine(
                        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6),
                        Arbitraries.of("agent:planner", "agent:writer", "search").injectNull(0.2),
                        Arbitraries.longs().between(0, 4_000_000_000L).map(Instant::ofEpochSecond).injectNull(0.3))
                .as((id, tool, startedAt) -> new TraceSpan(id, null, tool, "ok", startedAt, null).toJson())
                .list().ofMaxSize(3);
        Arbitrary<Map<String, Double>> scores = Arbitraries.maps(
                Arbitraries.of("intent_resolution", "groundedness"),
                Arbitraries.doubles().between(0, 5).ofScale(1)).ofMaxSize(2);
        Arbitrary<String> texts = Arbitraries.of("", " ", "Summarize the Q3 report", "Done.").injectNull(0.1);
        return Combinators.combine(outputs, traces, scores, texts, texts).as(Evidence::new);
    }

    private static void putUnlessAbsent(Map<String, Object> map, String key, Object value) {
        if (value != ABSENT) {
            map.put(key, value);
        }
    }

    @Provide
    Arbitrary<ContractConfig> contracts() {
        return Combinators.combine(
                        Arbitraries.of("result", "summary", "status").list().ofMaxSize(2),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false),
                        Arbitraries.doubles().between(0, 5).ofScale(1),
                        Arbitraries.of(true, false))
                .as((keys, approval, intent, threshold, hold) ->
                        new ContractConfig("property-v1", keys, approval, intent, threshold, hold));
    }

    @Provide
    Arbitrary<Map<String, Object>> jsonObjects() {
        Arbitrary<Object> outputValues = Arbitraries.recursive(EvaluationPropertiesTest::outputLeaves,
                EvaluationPropertiesTest::jsonContainers, 0, 4);
        return Arbitraries.maps(jsonKeys(), outputValues).ofMaxSize(6);
    }

    /** Every leaf evidence outputs accept: null, strings, booleans and numbers of every supported type. */
    private static Arbitrary<Object> outputLeaves() {
        return Arbitraries.<Object>oneOf(
                Arbitraries.strings().all().ofMaxLength(8).filter(EvaluationPropertiesTest::isUnicode),
                Arbitraries.strings().withCharRange('\u0000', '\u007f').ofMaxLength(8),
                Arbitraries.of(true, false),
                Arbitraries.longs(),
                Arbitraries.integers(),
                Arbitraries.doubles().withSpecialValue(-0.0).withSpecialValue(Double.MIN_VALUE)
                        .withSpecialValue(Double.MAX_VALUE).withSpecialValue(0x1p63).filter(Double::isFinite),
                Arbitraries.bigDecimals().between(new BigDecimal("-1e40"), new BigDecimal("1e40")).ofScale(12),
                Arbitraries.bigIntegers().between(
                        new BigDecimal("-1e30").toBigInteger(), new BigDecimal("1e30").toBigInteger()))
                .injectNull(0.05);
    }

    private static Arbitrary<Object> jsonContainers(Arbitrary<Object> inner) {
        return Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(list -> (Object) list),
                Arbitraries.maps(jsonKeys(), inner).ofMaxSize(4).map(map -> (Object) map));
    }

    private static Arbitrary<String> jsonKeys() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(5).filter(EvaluationPropertiesTest::isUnicode),
                Arbitraries.of("status", "result", "a"));
    }

    /** Evidence refuses unpaired surrogates (they are not Unicode text); the generators leave them out. */
    private static boolean isUnicode(String text) {
        return text.codePoints().noneMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
    }

    /** Rebuilds every map, at every level, with its keys in a random order. */
    @SuppressWarnings("unchecked")
    private static <T> Map<String, T> shuffled(Map<String, T> map, Random random) {
        List<String> keys = new ArrayList<>(map.keySet());
        Collections.shuffle(keys, random);
        Map<String, T> copy = new LinkedHashMap<>();
        for (String key : keys) {
            copy.put(key, (T) shuffledValue(map.get(key), random));
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Object shuffledValue(Object value, Random random) {
        if (value instanceof Map<?, ?> map) {
            return shuffled((Map<String, Object>) map, random);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(element -> shuffledValue(element, random)).toList();
        }
        return value;
    }
}
