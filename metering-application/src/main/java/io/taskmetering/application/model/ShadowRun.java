package io.taskmetering.application.model;

import io.taskmetering.domain.contract.ContractScope;

import java.time.Instant;
import java.util.Objects;

/**
 * A contract version running in shadow: every outcome of its scope (one subscription, or all) that is recorded while
 * it runs is also decided under it, and that decision is kept apart, charging nothing.
 */
public record ShadowRun(String version, ContractScope scope, Instant startedAt) {
    public ShadowRun {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
