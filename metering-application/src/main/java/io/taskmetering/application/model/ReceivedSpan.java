package io.taskmetering.application.model;

import io.taskmetering.domain.trace.AgentSpan;

import java.time.Instant;
import java.util.Objects;

/** A span as kept: what the exporter sent and when it first arrived here. */
public record ReceivedSpan(AgentSpan span, Instant receivedAt) {
    public ReceivedSpan {
        Objects.requireNonNull(span, "span");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
