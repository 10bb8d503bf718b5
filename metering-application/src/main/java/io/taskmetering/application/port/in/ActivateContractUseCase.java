package io.taskmetering.application.port.in;

public interface ActivateContractUseCase {
    ActivateContractResult activate(ActivateContractCommand command);
}
