package io.taskmetering.domain.evaluation;

/**
 * The five adherence gates, declared in evaluation order: the ordinal is the gate number of the design, and a
 * {@link Decision} lists its results in exactly this order.
 */
public enum Gate {
    INTENT_RESOLUTION("intent_resolution"),
    TERMINAL_SUCCESS("terminal_success"),
    REQUIRED_OUTPUTS("required_outputs"),
    OUTPUT_VALIDATION("output_validation"),
    APPROVAL("approval");

    private final String code;

    Gate(String code) {
        this.code = code;
    }

    /** The prefix of every reason code this gate yields, as stored and returned by the API. */
    public String code() {
        return code;
    }
}
