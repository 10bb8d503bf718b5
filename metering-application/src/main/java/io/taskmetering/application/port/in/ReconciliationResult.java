package io.taskmetering.application.port.in;

import java.time.LocalDate;
import java.util.List;

/** What one reconciliation found; every mismatch was also stored as a {@code reconciliation_mismatch} anomaly. */
public record ReconciliationResult(LocalDate day, int groupsCompared, List<ReconciliationMismatch> mismatches) {
    public ReconciliationResult {
        mismatches = List.copyOf(mismatches);
    }

    public boolean consistent() {
        return mismatches.isEmpty();
    }
}
