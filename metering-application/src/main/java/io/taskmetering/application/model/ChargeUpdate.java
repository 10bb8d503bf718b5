package io.taskmetering.application.model;

import io.taskmetering.domain.charge.Charge;

import java.util.Objects;

/** Writes {@code charge} over the stored row only if that row is still at {@code expectedVersion}. */
public record ChargeUpdate(Charge charge, long expectedVersion) {
    public ChargeUpdate {
        Objects.requireNonNull(charge, "charge");
    }
}
