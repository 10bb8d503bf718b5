package io.taskmetering.application.port.in;

/** Reconciles one UTC day with the Marketplace and stores what was found. */
public interface ReconcileUseCase {
    /** How many days before today (UTC) a day may be reconciled. */
    int MAX_DAYS_BACK = 90;

    ReconcileResult reconcile(ReconcileCommand command);
}
