package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.contract.ContractScope;

/** Run {@code version} in shadow for one subscription or (without one) for every subscription. */
public record StartShadowCommand(String version, ContractScope scope) {
    public StartShadowCommand(String version, SubscriptionRef subscription) {
        this(version, ContractScope.of(subscription));
    }

    public StartShadowCommand {
        Require.id("version", version);
        Require.present("subscription_ref", scope);
    }
}
