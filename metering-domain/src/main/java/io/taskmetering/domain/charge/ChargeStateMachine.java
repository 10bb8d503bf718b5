package io.taskmetering.domain.charge;

import java.util.EnumSet;
import java.util.Set;

/**
 * The legal transitions (the state diagram of docs/billing.md, section 2):
 * <pre>
 * PENDING_REVIEW --approve--> QUALIFIED --invoice--> BILLABLE
 * PENDING_REVIEW --reject---> WAIVED
 * QUALIFIED|BILLABLE --dispute--> DISPUTED --uphold--> back to QUALIFIED or BILLABLE
 * DISPUTED --reverse--> REVERSED
 * </pre>
 */
public final class ChargeStateMachine {
    private ChargeStateMachine() {
    }

    /** The states from which {@code action} is legal. */
    public static Set<ChargeState> sources(ChargeAction action) {
        return switch (action) {
            case APPROVE, REJECT -> EnumSet.of(ChargeState.PENDING_REVIEW);
            case INVOICE -> EnumSet.of(ChargeState.QUALIFIED);
            case DISPUTE -> EnumSet.of(ChargeState.QUALIFIED, ChargeState.BILLABLE);
            case UPHOLD, REVERSE -> EnumSet.of(ChargeState.DISPUTED);
        };
    }

    public static boolean allows(ChargeState from, ChargeAction action) {
        return sources(action).contains(from);
    }

    /**
     * The state {@code action} leads to from {@code from}. Upholding a dispute returns the charge to
     * {@code upheldState} (QUALIFIED or BILLABLE, decided by whether its hour has been invoiced meanwhile).
     *
     * @throws IllegalTransitionException when the transition is not legal
     */
    public static ChargeState next(ChargeState from, ChargeAction action, ChargeState upheldState) {
        if (!allows(from, action)) {
            throw new IllegalTransitionException(from, action);
        }
        return switch (action) {
            case APPROVE -> ChargeState.QUALIFIED;
            case REJECT -> ChargeState.WAIVED;
            case INVOICE -> ChargeState.BILLABLE;
            case DISPUTE -> ChargeState.DISPUTED;
            case REVERSE -> ChargeState.REVERSED;
            case UPHOLD -> {
                if (upheldState != ChargeState.QUALIFIED && upheldState != ChargeState.BILLABLE) {
                    throw new IllegalArgumentException("a dispute is upheld to QUALIFIED or BILLABLE, not " + upheldState);
                }
                yield upheldState;
            }
        };
    }
}
