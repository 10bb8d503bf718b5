package io.taskmetering.application.model;

/** What one retention purge removed. */
public record PurgeCounts(long usageRecords, long decisions, long submissionAttempts) {
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
