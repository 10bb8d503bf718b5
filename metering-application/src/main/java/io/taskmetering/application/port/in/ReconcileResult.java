package io.taskmetering.application.port.in;

import io.taskmetering.application.model.Reconciliation;

import java.time.LocalDate;

/** What reconciling a day came to. */
public sealed interface ReconcileResult {
    /** The day was compared; the run is stored and every difference is an anomaly. */
    record Reconciled(Reconciliation reconciliation) implements ReconcileResult {
    }

    /** No Marketplace is configured (dry-run): nothing was ever sent, so there is nothing to compare against. */
    record NothingToCompare() implements ReconcileResult {
        public static final String MESSAGE = "The service runs in dry-run mode: no usage was sent to a Marketplace, "
                + "so there is nothing to compare against.";
    }

    /** The day is in the future or older than {@link ReconcileUseCase#MAX_DAYS_BACK} days. */
    record DayOutOfRange(LocalDate earliest, LocalDate latest) implements ReconcileResult {
    }

    /** The Marketplace could not be asked (after the client's retries); nothing was stored. */
    record MarketplaceUnavailable(String reason) implements ReconcileResult {
    }
}
