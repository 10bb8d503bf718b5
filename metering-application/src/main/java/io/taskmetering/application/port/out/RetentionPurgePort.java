package io.taskmetering.application.port.out;


import java.time.Instant;

/**
 * Deletes what has outlived the retention TTL. Touches only usage records, submission attempts of settled hours,
 * decisions that never became a charge and kept trace spans — never charges, ledger entries, open disputes, hours not
 * yet accepted or the spans of a task still to be settled.
 */
public interface RetentionPurgePort {
    /**
     * Deletes at most {@code limit} rows of each kind older than {@code cutoff}, oldest first; a count that reached
     * {@code limit} means more may be left.
     */
    PurgeCounts purgeBefore(Instant cutoff, int limit);

    /**
     * Deletes at most {@code limit} spans received before {@code receivedBefore} of traces in which no agent span was
     * ever a task candidate (spans that were never part of a task), oldest first; returns how many.
     */
    long purgeUnusedTraceSpans(Instant receivedBefore, int limit);

    /**
     * What one retention purge removed. {@code traceSpans} counts spans of settled traces received before the cutoff
     * (with the settled task candidates of those traces) and unused spans.
     */
    record PurgeCounts(long usageRecords, long decisions, long submissionAttempts, long traceSpans) {
        public long total() {
            return usageRecords + decisions + submissionAttempts + traceSpans;
        }

        public PurgeCounts plus(PurgeCounts other) {
            return new PurgeCounts(usageRecords + other.usageRecords, decisions + other.decisions,
                    submissionAttempts + other.submissionAttempts, traceSpans + other.traceSpans);
        }

        /** Whether some kind reached {@code limit}, so a purge limited to it may have left rows behind. */
        public boolean reached(int limit) {
            return usageRecords >= limit || decisions >= limit || submissionAttempts >= limit || traceSpans >= limit;
        }
    }
}
