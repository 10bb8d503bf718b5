package io.taskmetering.application.port.in;

import io.taskmetering.domain.charge.Charge;

public interface DisputeChargeUseCase {
    Charge dispute(DisputeChargeCommand command);
}
