package io.taskmetering.application.service;

import io.taskmetering.application.port.in.ResolveDisputeCommand;
import io.taskmetering.application.port.in.ResolveDisputeUseCase;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeAction;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.charge.ChargeStateMachine;

/**
 * Ends a dispute. Uphold: the charge stands (back in its hour, or counted again in the oldest open hour if it had been
 * released). Reverse: a ledgered reversal; a credit owed when its hour had already been submitted.
 */
public final class ResolveDisputeService implements ResolveDisputeUseCase {
    private final ChargeChanger changer;

    public ResolveDisputeService(ChargeChanger changer) {
        this.changer = changer;
    }

    @Override
    public Charge resolve(ResolveDisputeCommand command) {
        return changer.change(command.correlationId(), command.actor(), command.note(), (charge, counts, now) -> {
            if (command.resolution() == ResolveDisputeCommand.Resolution.REVERSE) {
                return charge.reverse(now);
            }
            ChargeStateMachine.next(charge.state(), ChargeAction.UPHOLD, ChargeState.QUALIFIED);
            if (charge.counted()) {
                return charge.uphold(changer.hourInvoiced(charge), null, now);
            }
            return charge.uphold(false, changer.place(charge, counts, now), now);
        });
    }
}
