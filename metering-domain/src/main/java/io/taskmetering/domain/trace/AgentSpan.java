package io.taskmetering.domain.trace;

import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.Require;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One ended span as an OpenTelemetry exporter sent it, in the protocol-neutral shape the trace mapping reads. Ids are
 * lower-case hex (a trace id 32 digits, a span id 16), whatever case they arrived in; a root span has no parent.
 * Attribute values are JSON-like: String, Boolean, Long, Double, or a List of those; the resource's attributes (such
 * as {@code service.name}) are kept apart from the span's own.
 */
public record AgentSpan(
        String traceId,
        String spanId,
        String parentSpanId,
        ParentLocality parentLocality,
        String name,
        SpanKind kind,
        Instant startedAt,
        Instant endedAt,
        SpanStatus status,
        String statusMessage,
        Map<String, Object> attributes,
        Map<String, Object> resourceAttributes,
        List<SpanEvent> events) {
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");
    private static final String ZERO_TRACE_ID = "0".repeat(32);
    private static final String ZERO_SPAN_ID = "0".repeat(16);

    public AgentSpan {
        traceId = hexId("traceId", traceId, TRACE_ID, ZERO_TRACE_ID);
        spanId = hexId("spanId", spanId, SPAN_ID, ZERO_SPAN_ID);
        parentSpanId = parentSpanId == null || parentSpanId.isEmpty()
                ? null : hexId("parentSpanId", parentSpanId, SPAN_ID, ZERO_SPAN_ID);
        Require.present("name", name);
        Require.present("kind", kind);
        Require.present("startTimeUnixNano", startedAt);
        Require.present("endTimeUnixNano", endedAt);
        if (endedAt.isBefore(startedAt)) {
            throw new InvalidValueException("endTimeUnixNano", "is before startTimeUnixNano");
        }
        status = status == null ? SpanStatus.UNSET : status;
        parentLocality = parentLocality == null ? ParentLocality.UNKNOWN : parentLocality;
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        resourceAttributes = resourceAttributes == null ? Map.of() : Map.copyOf(resourceAttributes);
        events = events == null ? List.of() : List.copyOf(events);
    }

    private static String hexId(String field, String value, Pattern shape, String invalid) {
        Require.present(field, value);
        String lower = value.toLowerCase(Locale.ROOT);
        if (!shape.matcher(lower).matches() || lower.equals(invalid)) {
            throw new InvalidValueException(field, "must be " + invalid.length() + " hex digits, not all zero");
        }
        return lower;
    }
}
