package io.taskmetering.application.port.out;

import io.taskmetering.application.model.Reconciliation;

/** Keeps reconciliation runs: each run is inserted once under its id with its differences, never updated. */
public interface SaveReconciliationsPort {
    void insertReconciliation(Reconciliation reconciliation);
}
