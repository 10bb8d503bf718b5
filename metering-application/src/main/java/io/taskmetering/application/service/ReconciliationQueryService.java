package io.taskmetering.application.service;

import io.taskmetering.application.model.Reconciliation;
import io.taskmetering.application.port.in.ReconciliationQueries;
import io.taskmetering.application.port.out.LoadReconciliationsPort;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/** Reads the stored reconciliation runs. */
public final class ReconciliationQueryService implements ReconciliationQueries {
    private final LoadReconciliationsPort reconciliations;

    public ReconciliationQueryService(LoadReconciliationsPort reconciliations) {
        this.reconciliations = reconciliations;
    }

    @Override
    public Optional<Reconciliation> latestReconciliation(LocalDate day) {
        return reconciliations.findLatestReconciliation(Objects.requireNonNull(day, "day"));
    }
}
