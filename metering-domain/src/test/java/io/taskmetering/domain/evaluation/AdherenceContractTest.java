package io.taskmetering.domain.evaluation;

import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.testdata.EvidenceBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.taskmetering.domain.testdata.EvidenceBuilder.anEvidence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The gates table of docs/billing.md (section 1): every reason code of every gate, and what they add up to. */
class AdherenceContractTest {
    private static final ContractConfig DEFAULTS = ContractConfig.defaults();
    private static final ContractConfig INTENT = DEFAULTS.withRequireIntentResolution(true);
    private static final ContractConfig APPROVAL = DEFAULTS.withRequireApproval(true);

    private static ContractConfig requiring(String... keys) {
        return DEFAULTS.withRequiredOutputKeys(List.of(keys));
    }

    private static Arguments row(String reasonCode, ContractConfig config, EvidenceBuilder evidence) {
        return arguments(reasonCode, config, evidence.build());
    }

    /** Each row: the reason code expected from the gate it names, under that config, for that evidence. */
    static Stream<Arguments> gateTable() {
        return Stream.of(
                // gate 0: intent resolution
                row("intent_resolution:skipped", DEFAULTS, anEvidence().withQuery(null).withResponse(null)),
                row("intent_resolution:skipped", DEFAULTS, anEvidence().withScore("intent_resolution", 0.0)),
                row("intent_resolution:passed", INTENT, anEvidence().withScore("intent_resolution", 4.0)),
                row("intent_resolution:passed", INTENT, anEvidence().withScore("intent_resolution", 3.0)),
                row("intent_resolution:passed", INTENT.withIntentResolutionThreshold(0), anEvidence()
                        .withScore("intent_resolution", 0.0).withQuery(null)),
                row("intent_resolution:passed", INTENT, anEvidence()),
                row("intent_resolution:passed", INTENT, anEvidence()
                        .withOutput("intent_handled", true).withQuery(null).withResponse(null)),
                row("intent_resolution:score_below_threshold=2.5", INTENT, anEvidence()
                        .withScore("intent_resolution", 2.5)),
                row("intent_resolution:score_below_threshold=2.0", INTENT, anEvidence()
                        .withScore("intent_resolution", 2.0).withOutput("intent_handled", true)),
                row("intent_resolution:score_below_threshold=4.9", INTENT.withIntentResolutionThreshold(5), anEvidence()
                        .withScore("intent_resolution", 4.9)),
                row("intent_resolution:score_below_threshold=1.0E-4", INTENT, anEvidence()
                        .withScore("intent_resolution", 0.0001)),
                row("intent_resolution:failed", INTENT, anEvidence().withResponse("  \t")),
                row("intent_resolution:failed", INTENT, anEvidence().withQuery(null)),
                row("intent_resolution:failed", INTENT, anEvidence().withQuery(null).withOutput("intent_handled", "true")),
                row("intent_resolution:failed", INTENT, anEvidence().withResponse("").withOutput("intent_handled", false)),
                // gate 1: terminal success
                row("terminal_success:passed", DEFAULTS, anEvidence()),
                row("terminal_success:passed", DEFAULTS, anEvidence().withOutput("status", "COMPLETED")),
                row("terminal_success:passed", DEFAULTS, anEvidence().withOutput("status", "Success")),
                row("terminal_success:passed", DEFAULTS, anEvidence()
                        .withOutput("status", "failed").withOutput("terminal_success", true)),
                row("terminal_success:failed", DEFAULTS, anEvidence().withOutput("status", "failed")),
                row("terminal_success:failed", DEFAULTS, anEvidence().withOutput("status", "complete")),
                row("terminal_success:failed", DEFAULTS, anEvidence().withOutput("status", " completed")),
                row("terminal_success:failed", DEFAULTS, anEvidence().withoutOutput("status")),
                row("terminal_success:failed", DEFAULTS, anEvidence().withOutput("status", true)),
                row("terminal_success:failed", DEFAULTS, anEvidence()
                        .withoutOutput("status").withOutput("terminal_success", "true")),
                row("terminal_success:failed", DEFAULTS, anEvidence()
                        .withOutput("status", "timed_out").withOutput("terminal_success", false)),
                // gate 2: required outputs
                row("required_outputs:skipped", DEFAULTS, anEvidence().withoutOutput("result")),
                row("required_outputs:passed", requiring("result", "status"), anEvidence()),
                row("required_outputs:passed", requiring("result"), anEvidence().withOutput("result", null)),
                row("required_outputs:missing=summary,citations", requiring("summary", "result", "citations"),
                        anEvidence()),
                row("required_outputs:missing=result", requiring("status", "result"), anEvidence()
                        .withoutOutput("result")),
                // gate 3: output validation
                row("output_validation:passed", DEFAULTS, anEvidence()),
                row("output_validation:passed", DEFAULTS, anEvidence()
                        .withOutput("count", 0).withOutput("flag", false).withOutput("items", List.of())
                        .withOutput("meta", Map.of("empty", ""))),
                row("output_validation:passed", DEFAULTS, anEvidence().withoutOutput("status").withoutOutput("result")),
                row("output_validation:invalid=result", DEFAULTS, anEvidence().withOutput("result", "")),
                row("output_validation:invalid=a,b,z", DEFAULTS, anEvidence()
                        .withOutput("z", null).withOutput("a", "  ").withOutput("b", "\t\n")),
                // gate 4: approval
                row("approval:skipped", DEFAULTS, anEvidence().withOutput("approved", false)),
                row("approval:passed", APPROVAL, anEvidence().withOutput("approved", true)),
                row("approval:failed", APPROVAL, anEvidence()),
                row("approval:failed", APPROVAL, anEvidence().withOutput("approved", false)),
                row("approval:failed", APPROVAL, anEvidence().withOutput("approved", "true")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("gateTable")
    void everyGateYieldsExactlyTheReasonCodeOfTheDesign(String reasonCode, ContractConfig config, Evidence evidence) {
        Gate gate = gateOf(reasonCode);

        GateResult result = new AdherenceContract(config).evaluate(evidence).gates().get(gate.ordinal());

        assertThat(result.gate()).isEqualTo(gate);
        assertThat(result.reasonCode()).isEqualTo(reasonCode);
        assertThat(result.outcome()).isEqualTo(reasonCode.endsWith(":passed") ? GateOutcome.PASSED
                : reasonCode.endsWith(":skipped") ? GateOutcome.SKIPPED : GateOutcome.FAILED);
    }

    @Test
    void theTableCoversEveryReasonCodeOfTheDesign() {
        Set<String> covered = gateTable()
                .map(arguments -> ((String) arguments.get()[0]).replaceFirst("=.*", "="))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(covered).containsExactlyInAnyOrder(
                "intent_resolution:skipped", "intent_resolution:passed", "intent_resolution:score_below_threshold=",
                "intent_resolution:failed",
                "terminal_success:passed", "terminal_success:failed",
                "required_outputs:skipped", "required_outputs:passed", "required_outputs:missing=",
                "output_validation:passed", "output_validation:invalid=",
                "approval:skipped", "approval:passed", "approval:failed");
    }

    private static Gate gateOf(String reasonCode) {
        String code = reasonCode.substring(0, reasonCode.indexOf(':'));
        return Stream.of(Gate.values()).filter(gate -> gate.code().equals(code)).findFirst().orElseThrow();
    }

    @Test
    void contosoScenarioBillsOnlyTheTasksThatDeliveredValue() {
        AdherenceContract contract = new AdherenceContract(INTENT.withVersion("contoso-v1"));
        Evidence summarized = anEvidence().build();
        Evidence timedOut = anEvidence().withOutput("status", "failed").build();
        Evidence emptyResult = anEvidence().withOutput("result", "").build();

        Decision ok = contract.evaluate(summarized);
        Decision failed = contract.evaluate(timedOut);
        Decision empty = contract.evaluate(emptyResult);

        assertThat(ok.billable()).isTrue();
        assertThat(ok.billableUnits()).isEqualTo(1);
        assertThat(ok.intentHandled()).isTrue();
        assertThat(ok.adhered()).isTrue();
        assertThat(ok.reasonCodes()).containsExactly("intent_resolution:passed", "terminal_success:passed",
                "required_outputs:skipped", "output_validation:passed", "approval:skipped");
        assertThat(ok.contractVersion()).isEqualTo("contoso-v1");
        assertThat(ok.evidenceSha256()).isEqualTo(EvidenceDigest.sha256(summarized));
        assertThat(ok.needsReview()).isFalse();

        assertThat(failed.billableUnits()).isZero();
        assertThat(failed.intentHandled()).isTrue();
        assertThat(failed.adhered()).isFalse();
        assertThat(failed.reasonCodes()).containsExactly("intent_resolution:passed", "terminal_success:failed",
                "required_outputs:skipped", "output_validation:passed", "approval:skipped");

        assertThat(empty.billableUnits()).isZero();
        assertThat(empty.adhered()).isFalse();
        assertThat(empty.reasonCodes()).containsExactly("intent_resolution:passed", "terminal_success:passed",
                "required_outputs:skipped", "output_validation:invalid=result", "approval:skipped");
    }

    @Test
    void evaluatesEveryGateEvenAfterAFailure() {
        ContractConfig strict = INTENT.withRequireApproval(true).withRequiredOutputKeys(List.of("citations"));
        Evidence poor = new Evidence(Map.of("status", "failed", "result", ""), null, Map.of("intent_resolution", 1.0),
                null, null);

        Decision decision = new AdherenceContract(strict).evaluate(poor);

        assertThat(decision.reasonCodes()).containsExactly("intent_resolution:score_below_threshold=1.0",
                "terminal_success:failed", "required_outputs:missing=citations", "output_validation:invalid=result",
                "approval:failed");
        assertThat(decision.intentHandled()).isFalse();
        assertThat(decision.adhered()).isFalse();
        assertThat(decision.billableUnits()).isZero();
    }

    @Test
    void billsNothingWhenOnlyIntentFails() {
        Decision decision = new AdherenceContract(INTENT).evaluate(anEvidence().withScore("intent_resolution", 1).build());

        assertThat(decision.intentHandled()).isFalse();
        assertThat(decision.adhered()).isTrue();
        assertThat(decision.billable()).isFalse();
    }

    @Test
    void partialEvaluationsAgreeWithTheFullDecision() {
        AdherenceContract contract = new AdherenceContract(INTENT.withRequireApproval(true));
        Evidence evidence = anEvidence().withOutput("approved", true).withResponse(null).build();

        Decision decision = contract.evaluate(evidence);

        assertThat(contract.evaluateIntent(evidence)).isEqualTo(decision.gates().get(0));
        assertThat(contract.evaluateAdherence(evidence)).isEqualTo(decision.gates().subList(1, 5));
        assertThat(contract.evaluateAdherence(evidence)).extracting(GateResult::gate)
                .containsExactly(Gate.TERMINAL_SUCCESS, Gate.REQUIRED_OUTPUTS, Gate.OUTPUT_VALIDATION, Gate.APPROVAL);
    }

    @Test
    void sameEvidenceAndContractGiveTheSameDecisionWhateverTheMapOrder() {
        Map<String, Object> forward = new LinkedHashMap<>();
        forward.put("status", "completed");
        forward.put("result", "Summary generated");
        forward.put("approved", true);
        Map<String, Object> backward = new LinkedHashMap<>();
        backward.put("approved", true);
        backward.put("result", "Summary generated");
        backward.put("status", "completed");
        ContractConfig config = APPROVAL.withRequiredOutputKeys(List.of("result"));

        Decision first = new AdherenceContract(config).evaluate(new Evidence(forward, null, null, "q", "r"));
        Decision again = new AdherenceContract(config).evaluate(new Evidence(forward, null, null, "q", "r"));
        Decision reordered = new AdherenceContract(config).evaluate(new Evidence(backward, null, null, "q", "r"));

        assertThat(again).isEqualTo(first);
        assertThat(reordered).isEqualTo(first);
    }

    @Test
    void exposesItsConfigAndRefusesNulls() {
        assertThat(new AdherenceContract(APPROVAL).config()).isEqualTo(APPROVAL);
        assertThatThrownBy(() -> new AdherenceContract(null)).isInstanceOf(InvalidValueException.class);
        AdherenceContract contract = new AdherenceContract(DEFAULTS);
        assertThatThrownBy(() -> contract.evaluate(null)).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> contract.evaluateIntent(null)).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> contract.evaluateAdherence(null)).isInstanceOf(InvalidValueException.class);
    }

    static Stream<Arguments> reviewTable() {
        return Stream.of(
                arguments("plain task", anEvidence(), List.of()),
                arguments("human hand-off", anEvidence().withOutput("human_handoff", true), List.of("human_handoff")),
                arguments("hand-off as text", anEvidence().withOutput("human_handoff", "true"), List.of()),
                arguments("no hand-off", anEvidence().withOutput("human_handoff", false), List.of()),
                arguments("two contributing agents", anEvidence().withOutput("contributing_agents", List.of("a", "b")),
                        List.of("multiple_agents")),
                arguments("one agent listed twice", anEvidence().withOutput("contributing_agents", List.of("a", "a")),
                        List.of()),
                arguments("agents as text", anEvidence().withOutput("contributing_agents", "a,b"), List.of()),
                arguments("two traced agents", anEvidence()
                        .withTrace(span("s1", "agent:planner"))
                        .withTrace(span("s2", "agent:writer")), List.of("multiple_agents")),
                arguments("one traced agent and tools", anEvidence()
                        .withTrace(span("s1", "agent:planner"))
                        .withTrace(span("s2", "agent:planner"))
                        .withTrace(span("s3", "search"))
                        .withTrace(span("s4", null)), List.of()),
                arguments("both reasons", anEvidence()
                        .withOutput("contributing_agents", List.of("a", "b"))
                        .withOutput("human_handoff", true), List.of("human_handoff", "multiple_agents")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("reviewTable")
    void holdsAmbiguousOutcomesForReview(String description, EvidenceBuilder evidence, List<String> reasons) {
        Decision decision = new AdherenceContract(DEFAULTS).evaluate(evidence.build());

        assertThat(decision.reviewReasons()).isEqualTo(reasons);
        assertThat(decision.needsReview()).isEqualTo(!reasons.isEmpty());
        assertThat(decision.billable()).isTrue();
    }

    @Test
    void computesReviewReasonsAlsoForNonBillableDecisions() {
        Evidence failedHandoff = anEvidence().withOutput("status", "failed").withOutput("human_handoff", true).build();

        Decision decision = new AdherenceContract(DEFAULTS).evaluate(failedHandoff);

        assertThat(decision.billable()).isFalse();
        assertThat(decision.reviewReasons()).containsExactly("human_handoff");
    }

    @Test
    void givesNoReviewReasonsWhenTheContractDoesNotHoldAmbiguity() {
        Evidence ambiguous = anEvidence()
                .withOutput("human_handoff", true)
                .withOutput("contributing_agents", List.of("a", "b"))
                .build();

        Decision decision = new AdherenceContract(DEFAULTS.withHoldAmbiguousForReview(false)).evaluate(ambiguous);

        assertThat(decision.reviewReasons()).isEmpty();
        assertThat(decision.needsReview()).isFalse();
    }

    private static TraceSpan span(String id, String toolName) {
        return new TraceSpan(id, null, toolName, "ok", null, null);
    }
}
