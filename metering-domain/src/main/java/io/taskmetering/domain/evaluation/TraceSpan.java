package io.taskmetering.domain.evaluation;

import io.taskmetering.domain.common.Require;

import java.time.Instant;

/**
 * One span of the agent runtime's trace. Only the span id is required: runtimes report spans partially, and a
 * missing detail must not make the whole evidence unusable.
 */
public record TraceSpan(String spanId, String parentSpanId, String toolName, String status,
                        Instant startedAt, Instant endedAt) {
    public TraceSpan {
        Require.id("traces.span_id", spanId);
    }
}
