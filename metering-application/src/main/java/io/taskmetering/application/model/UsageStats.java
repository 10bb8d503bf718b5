package io.taskmetering.application.model;

import java.time.Instant;

/** Size of the usage store; {@code oldestTimestamp} null when empty. */
public record UsageStats(long totalRecords, Instant oldestTimestamp) {
}
