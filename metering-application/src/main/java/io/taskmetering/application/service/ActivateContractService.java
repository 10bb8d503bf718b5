package io.taskmetering.application.service;

import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.StoredActivation;
import io.taskmetering.application.port.in.ActivateContractCommand;
import io.taskmetering.application.port.in.ActivateContractResult;
import io.taskmetering.application.port.in.ActivateContractUseCase;
import io.taskmetering.application.port.out.HourBucketPort;
import io.taskmetering.application.port.out.LoadContractsPort;
import io.taskmetering.application.port.out.SaveActivationsPort;
import io.taskmetering.application.port.out.UnitOfWork;
import io.taskmetering.domain.contract.ActivationCheck;
import io.taskmetering.domain.contract.ContractActivation;
import io.taskmetering.domain.contract.ContractSchedule;

import java.time.Clock;

/**
 * Activates a contract version for a scope from an instant on. The same activation sent again answers what is stored
 * (also once its hour has closed); a new one is refused when it would reach into a closed hour of its scope
 * ({@link ContractSchedule#check}); the unique (scope, instant) key decides between two racing activations.
 */
public final class ActivateContractService implements ActivateContractUseCase {
    private final UnitOfWork unitOfWork;
    private final LoadContractsPort contracts;
    private final SaveActivationsPort saveActivations;
    private final HourBucketPort buckets;
    private final Clock clock;

    public ActivateContractService(UnitOfWork unitOfWork, LoadContractsPort contracts, SaveActivationsPort saveActivations,
                                   HourBucketPort buckets, Clock clock) {
        this.unitOfWork = unitOfWork;
        this.contracts = contracts;
        this.saveActivations = saveActivations;
        this.buckets = buckets;
        this.clock = clock;
    }

    @Override
    public ActivateContractResult activate(ActivateContractCommand command) {
        ContractActivation proposed = command.activation();
        return unitOfWork.inTransaction(() -> {
            if (contracts.findVersion(proposed.version()).isEmpty()) {
                return new ActivateContractResult.UnknownVersion(proposed.version());
            }
            var stored = contracts.findActivation(proposed.scope(), proposed.effectiveFrom());
            if (stored.isPresent()) {
                return answerExisting(proposed, stored.get());
            }
            ActivationCheck check = ContractSchedule.check(proposed,
                    buckets.findLastClosedHour(proposed.scope().subscriptionOrNull()));
            if (check instanceof ActivationCheck.IntoClosedHour closed) {
                return new ActivateContractResult.IntoClosedHour(closed.lastClosedHour(), closed.earliestEffectiveFrom());
            }
            StoredActivation activation = new StoredActivation(proposed, clock.instant());
            if (saveActivations.insertActivation(activation) == InsertResult.INSERTED) {
                return new ActivateContractResult.Activated(activation);
            }
            // Another activation of this scope and instant committed since the read above.
            return answerExisting(proposed, contracts.findActivation(proposed.scope(), proposed.effectiveFrom())
                    .orElseThrow(() -> new IllegalStateException("activation neither inserted nor found")));
        });
    }

    private static ActivateContractResult answerExisting(ContractActivation proposed, StoredActivation existing) {
        return existing.activation().equals(proposed)
                ? new ActivateContractResult.AlreadyActivated(existing)
                : new ActivateContractResult.PlaceTaken(existing);
    }
}
