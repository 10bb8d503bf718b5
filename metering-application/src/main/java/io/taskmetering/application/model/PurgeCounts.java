package io.taskmetering.application.model;

/** What one retention purge removed. */
public record PurgeCounts(long usageRecords, long decisions, long submissionAttempts) {
    public long total() {
        return usageRecords + decisions + submissionAttempts;
    }
}
