package io.taskmetering.application.service;

import io.taskmetering.application.port.in.ReviewChargeCommand;
import io.taskmetering.application.port.in.ReviewChargeUseCase;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeAction;
import io.taskmetering.domain.charge.ChargeStateMachine;

/**
 * A reviewer approves a held charge (it is counted in its own hour if still open, else in the oldest open hour, marked
 * late; caps are not applied again: a person decided) or rejects it (WAIVED).
 */
public final class ReviewChargeService implements ReviewChargeUseCase {
    private final ChargeChanger changer;

    public ReviewChargeService(ChargeChanger changer) {
        this.changer = changer;
    }

    @Override
    public Charge review(ReviewChargeCommand command) {
        return changer.change(command.correlationId(), command.actor(), command.note(), (charge, counts, now) -> {
            if (command.verdict() == ReviewChargeCommand.Verdict.REJECT) {
                return charge.reject(now);
            }
            // Check legality before placing, so an illegal approve locks (and creates) no bucket.
            ChargeStateMachine.next(charge.state(), ChargeAction.APPROVE, null);
            return charge.approve(changer.place(charge, counts, now), now);
        });
    }
}
