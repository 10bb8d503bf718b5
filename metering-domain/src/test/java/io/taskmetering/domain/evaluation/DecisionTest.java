package io.taskmetering.domain.evaluation;

import io.taskmetering.domain.common.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** A decision, gate result and gate can never contradict themselves, even when read back from storage. */
class DecisionTest {
    private static final String SHA = "a".repeat(64);
    private static final List<GateResult> ALL_PASS = List.of(
            GateResult.skip(Gate.INTENT_RESOLUTION),
            GateResult.pass(Gate.TERMINAL_SUCCESS),
            GateResult.skip(Gate.REQUIRED_OUTPUTS),
            GateResult.pass(Gate.OUTPUT_VALIDATION),
            GateResult.skip(Gate.APPROVAL));

    private static void assertRejected(Runnable construction, String field) {
        assertThatThrownBy(construction::run)
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    private static List<GateResult> replacing(int index, GateResult result) {
        List<GateResult> gates = new ArrayList<>(ALL_PASS);
        gates.set(index, result);
        return gates;
    }

    @Test
    void gateCodesAreTheApiSpelling() {
        assertThat(Gate.values()).extracting(Gate::code).containsExactly(
                "intent_resolution", "terminal_success", "required_outputs", "output_validation", "approval");
    }

    @Test
    void skippedAndPassedGatesDoNotBlockBillingFailedOnesDo() {
        assertThat(GateResult.pass(Gate.APPROVAL).allowsBilling()).isTrue();
        assertThat(GateResult.skip(Gate.APPROVAL).allowsBilling()).isTrue();
        assertThat(GateResult.fail(Gate.APPROVAL, "failed").allowsBilling()).isFalse();
        assertThat(GateResult.fail(Gate.APPROVAL, "failed").reasonCode()).isEqualTo("approval:failed");
    }

    @Test
    void aReasonCodeStandsForExactlyOneGateResultAndTheGatesForTheirDecision() {
        List<GateResult> gates = replacing(3, GateResult.fail(Gate.OUTPUT_VALIDATION, "invalid_type:count"));
        for (GateResult gate : gates) {
            assertThat(GateResult.ofReasonCode(gate.reasonCode())).isEqualTo(gate);
        }
        assertRejected(() -> GateResult.ofReasonCode("no_such_gate:passed"), "reason_code");
        assertRejected(() -> GateResult.ofReasonCode("approval:"), "reason_code");

        assertThat(Decision.of(ALL_PASS, "v1", SHA, List.of()))
                .isEqualTo(new Decision(true, true, 1, ALL_PASS, "v1", SHA, List.of()));
        assertThat(Decision.of(gates, "v1", SHA, List.of()))
                .isEqualTo(new Decision(true, false, 0, gates, "v1", SHA, List.of()));
        List<GateResult> noIntent = replacing(0, GateResult.fail(Gate.INTENT_RESOLUTION, "failed"));
        assertThat(Decision.of(noIntent, "v1", SHA, List.of("human_handoff")))
                .isEqualTo(new Decision(false, true, 0, noIntent, "v1", SHA, List.of("human_handoff")));
    }

    static Stream<Arguments> contradictoryGateResults() {
        return Stream.of(
                arguments(Gate.APPROVAL, GateOutcome.PASSED, "terminal_success:passed"),
                arguments(Gate.APPROVAL, GateOutcome.PASSED, "approval:failed"),
                arguments(Gate.APPROVAL, GateOutcome.PASSED, "approval:skipped"),
                arguments(Gate.APPROVAL, GateOutcome.SKIPPED, "approval:passed"),
                arguments(Gate.APPROVAL, GateOutcome.FAILED, "approval:passed"),
                arguments(Gate.APPROVAL, GateOutcome.FAILED, "approval:skipped"),
                arguments(Gate.APPROVAL, GateOutcome.FAILED, "approval:"),
                arguments(Gate.APPROVAL, GateOutcome.FAILED, "approval"),
                arguments(Gate.APPROVAL, GateOutcome.FAILED, null));
    }

    @ParameterizedTest(name = "[{index}] {1} {2}")
    @MethodSource("contradictoryGateResults")
    void gateResultReasonCodeMustMatchGateAndOutcome(Gate gate, GateOutcome outcome, String reasonCode) {
        assertRejected(() -> new GateResult(gate, outcome, reasonCode), "reason_code");
    }

    @Test
    void gateResultNeedsGateAndOutcome() {
        assertRejected(() -> new GateResult(null, GateOutcome.PASSED, "approval:passed"), "gate");
        assertRejected(() -> new GateResult(Gate.APPROVAL, null, "approval:passed"), "outcome");
    }

    @Test
    void acceptsAConsistentDecision() {
        Decision decision = new Decision(true, true, 1, ALL_PASS, "default-v1", SHA, List.of("human_handoff"));

        assertThat(decision.billable()).isTrue();
        assertThat(decision.needsReview()).isTrue();
        assertThat(decision.reasonCodes()).containsExactly("intent_resolution:skipped", "terminal_success:passed",
                "required_outputs:skipped", "output_validation:passed", "approval:skipped");
    }

    @Test
    void copiesItsListsIntoUnmodifiableOnes() {
        List<GateResult> gates = new ArrayList<>(ALL_PASS);
        List<String> reasons = new ArrayList<>(List.of("human_handoff"));
        Decision decision = new Decision(true, true, 1, gates, "default-v1", SHA, reasons);
        gates.clear();
        reasons.clear();

        assertThat(decision.gates()).hasSize(5);
        assertThat(decision.reviewReasons()).containsExactly("human_handoff");
        assertThatThrownBy(() -> decision.gates().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> decision.reviewReasons().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> decision.reasonCodes().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void requiresExactlyTheFiveGatesInOrder() {
        assertRejected(() -> new Decision(true, true, 1, ALL_PASS.subList(0, 4), "v", SHA, List.of()), "gates");
        List<GateResult> swapped = new ArrayList<>(ALL_PASS);
        swapped.set(1, ALL_PASS.get(2));
        swapped.set(2, ALL_PASS.get(1));
        assertRejected(() -> new Decision(true, true, 1, swapped, "v", SHA, List.of()), "gates");
        assertRejected(() -> new Decision(true, true, 1, replacing(4, null), "v", SHA, List.of()), "gates");
        assertRejected(() -> new Decision(true, true, 1, null, "v", SHA, List.of()), "gates");
    }

    @Test
    void derivedFieldsMustAgreeWithTheGates() {
        List<GateResult> intentFailed = replacing(0, GateResult.fail(Gate.INTENT_RESOLUTION, "failed"));
        List<GateResult> approvalFailed = replacing(4, GateResult.fail(Gate.APPROVAL, "failed"));

        assertRejected(() -> new Decision(true, true, 1, intentFailed, "v", SHA, List.of()), "intent_handled");
        assertRejected(() -> new Decision(false, true, 0, ALL_PASS, "v", SHA, List.of()), "intent_handled");
        assertRejected(() -> new Decision(true, true, 1, approvalFailed, "v", SHA, List.of()), "adhered");
        assertRejected(() -> new Decision(true, false, 0, ALL_PASS, "v", SHA, List.of()), "adhered");
        assertRejected(() -> new Decision(true, true, 0, ALL_PASS, "v", SHA, List.of()), "billable_units");
        assertRejected(() -> new Decision(true, true, 2, ALL_PASS, "v", SHA, List.of()), "billable_units");
        assertRejected(() -> new Decision(false, true, 1, intentFailed, "v", SHA, List.of()), "billable_units");
        assertThat(new Decision(true, false, 0, approvalFailed, "v", SHA, List.of()).billable()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "gaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void requiresA64CharacterLowercaseHexDigest(String sha) {
        assertRejected(() -> new Decision(true, true, 1, ALL_PASS, "v", sha, List.of()), "evidence_sha256");
    }

    @Test
    void requiresVersionDigestAndReviewReasons() {
        assertRejected(() -> new Decision(true, true, 1, ALL_PASS, "v", null, List.of()), "evidence_sha256");
        assertRejected(() -> new Decision(true, true, 1, ALL_PASS, " ", SHA, List.of()), "contract_version");
        assertRejected(() -> new Decision(true, true, 1, ALL_PASS, "v", SHA, null), "review_reasons");
        assertRejected(() -> new Decision(true, true, 1, ALL_PASS, "v", SHA, Arrays.asList("x", null)),
                "review_reasons");
    }
}
