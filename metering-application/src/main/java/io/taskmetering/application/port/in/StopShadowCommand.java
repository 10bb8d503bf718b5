package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.contract.ContractScope;

/** Stop the shadow run of {@code version} for one subscription or (without one) the one for every subscription. */
public record StopShadowCommand(String version, ContractScope scope) {
    public StopShadowCommand(String version, SubscriptionRef subscription) {
        this(version, ContractScope.of(subscription));
    }

    public StopShadowCommand {
        Require.id("version", version);
        Require.present("subscription_ref", scope);
    }
}
