package io.taskmetering.application.model;

import io.taskmetering.domain.evaluation.ContractConfig;

import java.time.Instant;
import java.util.Objects;

/** A stored contract version: its settings, immutable once created, and when it was created. */
public record ContractVersion(ContractConfig settings, Instant createdAt) {
    public ContractVersion {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public String version() {
        return settings.version();
    }
}
