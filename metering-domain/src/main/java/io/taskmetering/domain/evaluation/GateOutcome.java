package io.taskmetering.domain.evaluation;

/** How one gate ended; a {@link #SKIPPED} gate was disabled by the contract and never blocks billing. */
public enum GateOutcome {
    PASSED,
    FAILED,
    SKIPPED
}
