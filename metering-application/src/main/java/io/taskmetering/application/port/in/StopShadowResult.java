package io.taskmetering.application.port.in;

import io.taskmetering.domain.contract.ContractScope;

/** What stopping a shadow run did. */
public sealed interface StopShadowResult {
    record Stopped(String version, ContractScope scope) implements StopShadowResult {
    }

    /** The version did not run in shadow for this scope. */
    record NotRunning(String version, ContractScope scope) implements StopShadowResult {
    }
}
