package io.taskmetering.domain.trace;

import io.taskmetering.domain.common.Require;

import java.time.Instant;
import java.util.Map;

/**
 * An event recorded on a span, such as a {@code gen_ai.evaluation.result}. Attribute values are JSON-like: String,
 * Boolean, Long, Double, or a List of those.
 */
public record SpanEvent(String name, Instant time, Map<String, Object> attributes) {
    public SpanEvent {
        Require.present("event.name", name);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
