package io.taskmetering.application.model;

import io.taskmetering.domain.contract.ContractActivation;

import java.time.Instant;
import java.util.Objects;

/** A contract activation as stored, with when it was made. */
public record StoredActivation(ContractActivation activation, Instant createdAt) {
    public StoredActivation {
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
