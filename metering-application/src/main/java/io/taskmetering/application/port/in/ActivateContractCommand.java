package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.contract.ContractActivation;
import io.taskmetering.domain.contract.ContractScope;

import java.time.Instant;
import java.util.Objects;

/**
 * Let {@code version} decide outcomes that occur from {@code effectiveFrom} on, for one subscription or (without one)
 * globally.
 */
public record ActivateContractCommand(ContractActivation activation) {
    public ActivateContractCommand(String version, Instant effectiveFrom, SubscriptionRef subscription) {
        this(new ContractActivation(ContractScope.of(subscription), effectiveFrom, version));
    }

    public ActivateContractCommand {
        Objects.requireNonNull(activation, "activation");
    }
}
