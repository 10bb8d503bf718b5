package io.taskmetering.application.port.in;

import io.taskmetering.domain.charge.Charge;

public interface ResolveDisputeUseCase {
    Charge resolve(ResolveDisputeCommand command);
}
