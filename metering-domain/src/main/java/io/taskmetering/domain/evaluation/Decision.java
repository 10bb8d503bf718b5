package io.taskmetering.domain.evaluation;

import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.Require;

import java.util.List;

/**
 * The outcome of evaluating one evidence against one contract: all five gate results, what they imply, and the
 * contract version and evidence digest needed to replay and compare it later. Every derived field is checked
 * against the gates, so a decision read back from storage cannot claim a charge its gates do not support.
 *
 * @param reviewReasons sorted reasons to hold a billable outcome for a person (e.g. {@code human_handoff})
 */
public record Decision(boolean intentHandled, boolean adhered, int billableUnits, List<GateResult> gates,
                       String contractVersion, String evidenceSha256, List<String> reviewReasons) {

    public Decision {
        Require.present("gates", gates).forEach(gate -> Require.present("gates", gate));
        gates = List.copyOf(gates);
        Gate[] order = Gate.values();
        if (gates.size() != order.length) {
            throw new InvalidValueException("gates", "must hold exactly " + order.length + " gate results");
        }
        for (int i = 0; i < order.length; i++) {
            if (gates.get(i).gate() != order[i]) {
                throw new InvalidValueException("gates", "must list the gates in order, expected " + order[i].code()
                        + " at position " + i);
            }
        }
        if (intentHandled != gates.get(0).allowsBilling()) {
            throw new InvalidValueException("intent_handled", "contradicts the intent_resolution gate");
        }
        if (adhered != gates.subList(1, order.length).stream().allMatch(GateResult::allowsBilling)) {
            throw new InvalidValueException("adhered", "contradicts gates 1 to 4");
        }
        if (billableUnits != (intentHandled && adhered ? 1 : 0)) {
            throw new InvalidValueException("billable_units", "must be 1 when intent is handled and adhered, else 0");
        }
        Require.id("contract_version", contractVersion);
        if (!isSha256Hex(evidenceSha256)) {
            throw new InvalidValueException("evidence_sha256", "must be 64 lowercase hex characters");
        }
        Require.present("review_reasons", reviewReasons).forEach(reason -> Require.id("review_reasons", reason));
        reviewReasons = List.copyOf(reviewReasons);
    }

    /**
     * The decision its gates make: intent handled when gate 0 allows billing, adhered when gates 1 to 4 do, one
     * billable unit when both.
     */
    public static Decision of(List<GateResult> gates, String contractVersion, String evidenceSha256,
                              List<String> reviewReasons) {
        Require.present("gates", gates);
        boolean intentHandled = !gates.isEmpty() && gates.get(0).allowsBilling();
        boolean adhered = gates.stream().skip(1).allMatch(GateResult::allowsBilling);
        return new Decision(intentHandled, adhered, intentHandled && adhered ? 1 : 0, gates, contractVersion,
                evidenceSha256, reviewReasons);
    }

    /** 64 lowercase hex characters (a loop, not a regex: every decision made is checked). */
    private static boolean isSha256Hex(String value) {
        if (value == null || value.length() != 64) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** One reason code per gate, in gate order. */
    public List<String> reasonCodes() {
        return gates.stream().map(GateResult::reasonCode).toList();
    }

    public boolean billable() {
        return billableUnits > 0;
    }

    /** The first gate that refused billing, in gate order; empty when the decision is billable. */
    public java.util.Optional<Gate> failingGate() {
        return gates.stream().filter(g -> !g.allowsBilling()).map(GateResult::gate).findFirst();
    }

    /** Whether a person must look at this outcome before it is charged. */
    public boolean needsReview() {
        return !reviewReasons.isEmpty();
    }
}
