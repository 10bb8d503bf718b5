package io.taskmetering.application.service;

import io.taskmetering.application.port.in.DisputeChargeCommand;
import io.taskmetering.application.port.in.DisputeChargeUseCase;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeAction;
import io.taskmetering.domain.charge.ChargeStateMachine;

/**
 * A customer disputes a QUALIFIED or BILLABLE charge. If its hour is still open the charge stops counting there; once
 * the hour closed its quantity is fixed and the charge stays in it.
 */
public final class DisputeChargeService implements DisputeChargeUseCase {
    private final ChargeChanger changer;

    public DisputeChargeService(ChargeChanger changer) {
        this.changer = changer;
    }

    @Override
    public Charge dispute(DisputeChargeCommand command) {
        return changer.change(command.correlationId(), command.actor(), command.reason(), (charge, counts, now) -> {
            ChargeStateMachine.next(charge.state(), ChargeAction.DISPUTE, null);
            return charge.dispute(counts.closed(charge.bucket()), now);
        });
    }
}
