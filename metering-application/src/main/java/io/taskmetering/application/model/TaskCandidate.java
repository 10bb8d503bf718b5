package io.taskmetering.application.model;

import io.taskmetering.domain.common.SubscriptionRef;

import java.time.Instant;
import java.util.Objects;

/**
 * An agent span that may be a task, waiting to be settled: its trace and span id, the subscription it was admitted
 * for (null when it was admitted as nested under another agent span of its export) and when it first arrived.
 */
public record TaskCandidate(String traceId, String spanId, SubscriptionRef subscription, Instant arrivedAt) {
    public TaskCandidate {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(spanId, "spanId");
        Objects.requireNonNull(arrivedAt, "arrivedAt");
    }
}
