package io.taskmetering.domain.evaluation;

import io.taskmetering.domain.common.Require;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One span of the agent runtime's trace in the native API's shape. Only the span id is required: runtimes report
 * spans partially, and a missing detail must not make the whole evidence unusable. In {@link Evidence} a span is
 * kept as its JSON object ({@link #toJson()}), the form every trace entry has.
 */
public record TraceSpan(String spanId, String parentSpanId, String toolName, String status,
                        Instant startedAt, Instant endedAt) {
    public TraceSpan {
        Require.id("traces.span_id", spanId);
    }

    /** Every member, absent details as null, instants as ISO-8601 strings. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("span_id", spanId);
        json.put("parent_span_id", parentSpanId);
        json.put("tool_name", toolName);
        json.put("status", status);
        json.put("started_at", startedAt == null ? null : startedAt.toString());
        json.put("ended_at", endedAt == null ? null : endedAt.toString());
        return json;
    }
}
