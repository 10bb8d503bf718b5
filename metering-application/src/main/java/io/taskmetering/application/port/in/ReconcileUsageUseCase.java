package io.taskmetering.application.port.in;

import java.time.LocalDate;
import java.util.List;
import java.math.BigDecimal;

public interface ReconcileUsageUseCase {
    ReconciliationResult reconcile(ReconcileUsageCommand command);

    /** What one reconciliation found; every mismatch was also stored as a {@code reconciliation_mismatch} anomaly. */
    record ReconciliationResult(LocalDate day, int groupsCompared, List<ReconciliationMismatch> mismatches) {
        public ReconciliationResult {
            mismatches = List.copyOf(mismatches);
        }

        public boolean consistent() {
            return mismatches.isEmpty();
        }
    }

    /**
     * One (resource, dimension, plan) whose day total differs: what we recorded as accepted by the Marketplace against
     * what the Marketplace says it received.
     */
    record ReconciliationMismatch(String resourceId, String dimension, String planId, long recordedAccepted,
                                         BigDecimal marketplaceSubmitted, Kind kind) {
        public enum Kind {
            /** We recorded acceptances the Marketplace does not show (or shows less of). */
            MISSING_AT_MARKETPLACE,
            /** The Marketplace shows usage we never recorded as accepted (or more of it). */
            UNEXPECTED_AT_MARKETPLACE
        }
    }
}
