package io.taskmetering.domain.evaluation;

import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.Require;

import java.util.EnumMap;
import java.util.Map;

/**
 * The result of one gate with its single reason code ({@code <gate code>:<detail>}). The code must agree with the
 * outcome ({@code :passed} ⇔ PASSED, {@code :skipped} ⇔ SKIPPED) so a stored result can never contradict itself.
 */
public record GateResult(Gate gate, GateOutcome outcome, String reasonCode) {
    private static final String PASSED = "passed";
    private static final String SKIPPED = "skipped";
    /** Every evaluation passes or skips most gates: one immutable result per gate, not a new one (and string) each time. */
    private static final Map<Gate, GateResult> PASS = constants(GateOutcome.PASSED, PASSED);
    private static final Map<Gate, GateResult> SKIP = constants(GateOutcome.SKIPPED, SKIPPED);

    public GateResult {
        Require.present("gate", gate);
        Require.present("outcome", outcome);
        Require.present("reason_code", reasonCode);
        String prefix = gate.code() + ":";
        if (!reasonCode.startsWith(prefix)) {
            throw new InvalidValueException("reason_code", "must start with '" + prefix + "'");
        }
        String detail = reasonCode.substring(prefix.length());
        boolean consistent = switch (outcome) {
            case PASSED -> detail.equals(PASSED);
            case SKIPPED -> detail.equals(SKIPPED);
            case FAILED -> !detail.isEmpty() && !detail.equals(PASSED) && !detail.equals(SKIPPED);
        };
        if (!consistent) {
            throw new InvalidValueException("reason_code", "does not match outcome " + outcome);
        }
    }

    /** The result a reason code stands for: its gate by the prefix, its outcome by the detail. */
    public static GateResult ofReasonCode(String reasonCode) {
        Require.present("reason_code", reasonCode);
        for (Gate gate : Gate.values()) {
            if (reasonCode.startsWith(gate.code() + ":")) {
                String detail = reasonCode.substring(gate.code().length() + 1);
                GateOutcome outcome = detail.equals(PASSED) ? GateOutcome.PASSED
                        : detail.equals(SKIPPED) ? GateOutcome.SKIPPED : GateOutcome.FAILED;
                return new GateResult(gate, outcome, reasonCode);
            }
        }
        throw new InvalidValueException("reason_code", "names no gate");
    }

    static GateResult pass(Gate gate) {
        return PASS.get(gate);
    }

    static GateResult skip(Gate gate) {
        return SKIP.get(gate);
    }

    private static Map<Gate, GateResult> constants(GateOutcome outcome, String detail) {
        Map<Gate, GateResult> results = new EnumMap<>(Gate.class);
        for (Gate gate : Gate.values()) {
            results.put(gate, new GateResult(gate, outcome, gate.code() + ":" + detail));
        }
        return results;
    }

    static GateResult fail(Gate gate, String detail) {
        return new GateResult(gate, GateOutcome.FAILED, gate.code() + ":" + detail);
    }

    /** True when this gate does not block billing: it passed, or the contract disabled it. */
    public boolean allowsBilling() {
        return outcome != GateOutcome.FAILED;
    }
}
