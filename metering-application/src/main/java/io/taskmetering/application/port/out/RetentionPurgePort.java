package io.taskmetering.application.port.out;


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

    /** What one retention purge removed. */
    record PurgeCounts(long usageRecords, long decisions, long submissionAttempts) {
        public long total() {
            return usageRecords + decisions + submissionAttempts;
        }

        public PurgeCounts plus(PurgeCounts other) {
            return new PurgeCounts(usageRecords + other.usageRecords, decisions + other.decisions,
                    submissionAttempts + other.submissionAttempts);
        }

        /** Whether some kind reached {@code limit}, so a purge limited to it may have left rows behind. */
        public boolean reached(int limit) {
            return usageRecords >= limit || decisions >= limit || submissionAttempts >= limit;
        }
    }
}
