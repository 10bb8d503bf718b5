package io.taskmetering.application.port.in;

public interface CreateContractVersionUseCase {
    CreateContractVersionResult create(CreateContractVersionCommand command);
}
