package io.taskmetering.domain.charge;

import io.taskmetering.domain.common.DomainException;

/** A state change the billable-state machine does not allow; says which state the charge is in. */
public final class IllegalTransitionException extends DomainException {
    private static final long serialVersionUID = 1L;
    private final ChargeState currentState;
    private final ChargeAction action;

    public IllegalTransitionException(ChargeState currentState, ChargeAction action) {
        super("cannot " + action.wireName() + " a charge in state " + currentState);
        this.currentState = currentState;
        this.action = action;
    }

    public ChargeState currentState() {
        return currentState;
    }

    public ChargeAction action() {
        return action;
    }
}
