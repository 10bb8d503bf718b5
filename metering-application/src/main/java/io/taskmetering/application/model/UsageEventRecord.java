package io.taskmetering.application.model;

import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.billing.UsageEventStatus;

import java.time.Instant;
import java.util.Objects;

/** A usage event in the outbox with what the Marketplace said so far. */
public record UsageEventRecord(UsageEvent event, UsageEventStatus status, String usageEventId, Instant messageTime,
                               int attempts, String lastError, String requestBody, Instant createdAt,
                               Instant updatedAt) {
    public UsageEventRecord {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(status, "status");
    }
}
