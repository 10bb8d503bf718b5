package io.taskmetering.domain.charge;

/** The billable state of a charge. Changes only through {@link ChargeStateMachine}, each change ledgered. */
public enum ChargeState {
    /** Held for a person: over a cap, or ambiguous. Counted nowhere until approved. */
    PENDING_REVIEW,
    /** Passed every gate and cap; counted in its billing hour; not yet invoiced. */
    QUALIFIED,
    /** Its hour's usage event was accepted (or recorded in dry-run): money is owed. */
    BILLABLE,
    /** Challenged by the customer. */
    DISPUTED,
    /** Reversed after a dispute; a credit is owed when its hour had already been submitted. */
    REVERSED,
    /** A reviewer decided not to bill. */
    WAIVED;

    public boolean terminal() {
        return this == REVERSED || this == WAIVED;
    }

    public static ChargeState parse(String value) {
        for (ChargeState state : values()) {
            if (state.name().equalsIgnoreCase(value)) {
                return state;
            }
        }
        throw new io.taskmetering.domain.common.InvalidValueException("state",
                "unknown charge state '" + value + "'; one of " + java.util.Arrays.toString(values()));
    }
}
