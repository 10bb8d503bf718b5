package io.taskmetering.application.service;

import io.taskmetering.application.model.ContractVersion;
import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.port.in.CreateContractVersionCommand;
import io.taskmetering.application.port.in.CreateContractVersionResult;
import io.taskmetering.application.port.in.CreateContractVersionUseCase;
import io.taskmetering.application.port.out.LoadContractsPort;
import io.taskmetering.application.port.out.SaveContractVersionsPort;
import io.taskmetering.application.port.out.UnitOfWork;

import java.time.Clock;

/**
 * Creates a contract version. The version id's unique key decides who created it; a create that meets an existing id
 * reads it back and compares settings: the same settings are a no-op, others a conflict. Nothing is ever updated.
 */
public final class CreateContractVersionService implements CreateContractVersionUseCase {
    private final UnitOfWork unitOfWork;
    private final SaveContractVersionsPort saveVersions;
    private final LoadContractsPort contracts;
    private final Clock clock;

    public CreateContractVersionService(UnitOfWork unitOfWork, SaveContractVersionsPort saveVersions,
                                        LoadContractsPort contracts, Clock clock) {
        this.unitOfWork = unitOfWork;
        this.saveVersions = saveVersions;
        this.contracts = contracts;
        this.clock = clock;
    }

    @Override
    public CreateContractVersionResult create(CreateContractVersionCommand command) {
        ContractVersion proposed = new ContractVersion(command.settings(), clock.instant());
        return unitOfWork.inTransaction(() -> {
            if (saveVersions.insertVersion(proposed) == InsertResult.INSERTED) {
                return new CreateContractVersionResult.Created(proposed);
            }
            ContractVersion existing = contracts.findVersion(proposed.version()).orElseThrow(
                    () -> new IllegalStateException("contract version " + proposed.version() + " neither inserted nor found"));
            return existing.settings().equals(proposed.settings())
                    ? new CreateContractVersionResult.AlreadyExists(existing)
                    : new CreateContractVersionResult.SettingsConflict(existing);
        });
    }
}
