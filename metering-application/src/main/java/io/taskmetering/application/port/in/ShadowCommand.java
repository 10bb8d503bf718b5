package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.contract.ContractScope;

/** Start or stop running {@code version} in shadow for one subscription or (without one) for every subscription. */
public record ShadowCommand(String version, ContractScope scope) {
    public ShadowCommand(String version, SubscriptionRef subscription) {
        this(version, ContractScope.of(subscription));
    }

    public ShadowCommand {
        Require.id("version", version);
        Require.present("subscription_ref", scope);
    }
}
