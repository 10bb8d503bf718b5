package io.taskmetering.domain.evaluation;

import io.taskmetering.domain.common.Require;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The five deterministic gates (docs/billing.md, section 1) under one {@link ContractConfig}. Every gate is always
 * evaluated, in order, so a decision explains all its reasons, not just the first failure. Pure and stateless:
 * the same evidence and config always give the same decision, which is what makes decisions replayable.
 */
public final class AdherenceContract {
    /** The score gate 0 compares with the threshold. */
    public static final String INTENT_RESOLUTION_SCORE = "intent_resolution";
    /** A trace entry whose tool name starts with this is another agent's contribution (review reason multiple_agents). */
    public static final String AGENT_TOOL_PREFIX = "agent:";

    private final ContractConfig config;

    public AdherenceContract(ContractConfig config) {
        this.config = Require.present("contract", config);
    }

    public ContractConfig config() {
        return config;
    }

    /** All five gates, what they imply for billing, review reasons and the evidence digest. */
    public Decision evaluate(Evidence evidence) {
        List<GateResult> gates = new ArrayList<>(Gate.values().length);
        gates.add(evaluateIntent(evidence));
        gates.addAll(evaluateAdherence(evidence));
        return Decision.of(gates, config.version(), EvidenceDigest.sha256(evidence), reviewReasons(evidence));
    }

    /** Gate 0 only: did the agent resolve what was asked? */
    public GateResult evaluateIntent(Evidence evidence) {
        Require.present("evidence", evidence);
        Gate gate = Gate.INTENT_RESOLUTION;
        if (!config.requireIntentResolution()) {
            return GateResult.skip(gate);
        }
        Double score = evidence.scores().get(INTENT_RESOLUTION_SCORE);
        if (score != null) {
            return score >= config.intentResolutionThreshold()
                    ? GateResult.pass(gate)
                    : GateResult.fail(gate, "score_below_threshold=" + score);
        }
        boolean answered = isNotBlank(evidence.query()) && isNotBlank(evidence.response());
        return isTrue(evidence.outputs(), "intent_handled") || answered
                ? GateResult.pass(gate)
                : GateResult.fail(gate, "failed");
    }

    /** Gates 1 to 4, in order: did the task finish as the contract demands? */
    public List<GateResult> evaluateAdherence(Evidence evidence) {
        Require.present("evidence", evidence);
        Map<String, Object> outputs = evidence.outputs();
        return List.of(terminalSuccess(outputs), requiredOutputs(outputs), outputValidation(outputs),
                approval(outputs));
    }

    private static GateResult terminalSuccess(Map<String, Object> outputs) {
        Gate gate = Gate.TERMINAL_SUCCESS;
        boolean succeeded = isTrue(outputs, "terminal_success")
                || outputs.get("status") instanceof String status
                && (status.equalsIgnoreCase("completed") || status.equalsIgnoreCase("success"));
        return succeeded ? GateResult.pass(gate) : GateResult.fail(gate, "failed");
    }

    private GateResult requiredOutputs(Map<String, Object> outputs) {
        Gate gate = Gate.REQUIRED_OUTPUTS;
        if (config.requiredOutputKeys().isEmpty()) {
            return GateResult.skip(gate);
        }
        List<String> missing = config.requiredOutputKeys().stream().filter(key -> !outputs.containsKey(key)).toList();
        return missing.isEmpty() ? GateResult.pass(gate) : GateResult.fail(gate, "missing=" + String.join(",", missing));
    }

    private static GateResult outputValidation(Map<String, Object> outputs) {
        Gate gate = Gate.OUTPUT_VALIDATION;
        Set<String> invalid = new TreeSet<>();
        outputs.forEach((key, value) -> {
            if (value == null || value instanceof String s && s.isBlank()) {
                invalid.add(key);
            }
        });
        return invalid.isEmpty() ? GateResult.pass(gate) : GateResult.fail(gate, "invalid=" + String.join(",", invalid));
    }

    private GateResult approval(Map<String, Object> outputs) {
        Gate gate = Gate.APPROVAL;
        if (!config.requireApproval()) {
            return GateResult.skip(gate);
        }
        return isTrue(outputs, "approved") ? GateResult.pass(gate) : GateResult.fail(gate, "failed");
    }

    /** Why a person should confirm this outcome before it is charged; empty unless the contract holds ambiguity. */
    private List<String> reviewReasons(Evidence evidence) {
        if (!config.holdAmbiguousForReview()) {
            return List.of();
        }
        Set<String> reasons = new TreeSet<>();
        if (isTrue(evidence.outputs(), "human_handoff")) {
            reasons.add("human_handoff");
        }
        if (severalContributingAgents(evidence.outputs()) || severalTracedAgents(evidence)) {
            reasons.add("multiple_agents");
        }
        return List.copyOf(reasons);
    }

    private static boolean severalContributingAgents(Map<String, Object> outputs) {
        return outputs.get("contributing_agents") instanceof List<?> agents && new HashSet<>(agents).size() > 1;
    }

    private static boolean severalTracedAgents(Evidence evidence) {
        Set<String> agents = new HashSet<>();
        for (Map<String, Object> entry : evidence.traces()) {
            if (entry.get("tool_name") instanceof String tool && tool.startsWith(AGENT_TOOL_PREFIX)) {
                agents.add(tool.substring(AGENT_TOOL_PREFIX.length()));
            }
        }
        return agents.size() > 1;
    }

    private static boolean isTrue(Map<String, Object> outputs, String key) {
        return Boolean.TRUE.equals(outputs.get(key));
    }

    private static boolean isNotBlank(String text) {
        return text != null && !text.isBlank();
    }
}
