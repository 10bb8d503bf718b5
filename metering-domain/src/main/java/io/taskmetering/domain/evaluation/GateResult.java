package io.taskmetering.domain.evaluation;

import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.Require;

/**
 * The result of one gate with its single reason code ({@code <gate code>:<detail>}). The code must agree with the
 * outcome ({@code :passed} ⇔ PASSED, {@code :skipped} ⇔ SKIPPED) so a stored result can never contradict itself.
 */
public record GateResult(Gate gate, GateOutcome outcome, String reasonCode) {
    private static final String PASSED = "passed";
    private static final String SKIPPED = "skipped";

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

    static GateResult pass(Gate gate) {
        return new GateResult(gate, GateOutcome.PASSED, gate.code() + ":" + PASSED);
    }

    static GateResult skip(Gate gate) {
        return new GateResult(gate, GateOutcome.SKIPPED, gate.code() + ":" + SKIPPED);
    }

    static GateResult fail(Gate gate, String detail) {
        return new GateResult(gate, GateOutcome.FAILED, gate.code() + ":" + detail);
    }

    /** True when this gate does not block billing: it passed, or the contract disabled it. */
    public boolean allowsBilling() {
        return outcome != GateOutcome.FAILED;
    }
}
