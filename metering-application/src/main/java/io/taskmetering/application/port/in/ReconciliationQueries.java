package io.taskmetering.application.port.in;

import io.taskmetering.application.model.Reconciliation;

import java.time.LocalDate;
import java.util.Optional;

/** The stored reconciliation runs. */
public interface ReconciliationQueries {
    /** The latest run of {@code day}, if it was ever reconciled. */
    Optional<Reconciliation> latestReconciliation(LocalDate day);
}
