package io.taskmetering.application.port.in;

import java.time.Duration;
import java.time.Instant;

/** Size of the usage store and its retention TTL; {@code oldestTimestamp} null when empty. */
public record UsageStatsResult(long totalEvents, Instant oldestTimestamp, Duration retentionTtl) {
}
