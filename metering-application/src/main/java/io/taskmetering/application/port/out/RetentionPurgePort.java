package io.taskmetering.application.port.out;

import io.taskmetering.application.model.PurgeCounts;

import java.time.Instant;

/**
 * Deletes what has outlived the retention TTL. Touches only usage records, submission attempts of settled hours, and
 * decisions that never became a charge — never charges, ledger entries, open disputes or hours not yet accepted.
 */
public interface RetentionPurgePort {
    /**
     * Deletes at most {@code limit} rows of each kind older than {@code cutoff}, oldest first; a count that reached
     * {@code limit} means more may be left.
     */
    PurgeCounts purgeBefore(Instant cutoff, int limit);
}
