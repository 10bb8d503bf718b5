package io.taskmetering.adapter.rest;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.taskmetering.adapter.rest.OtlpJson.SpanPosition;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.trace.AgentSpan;
import io.taskmetering.domain.trace.ParentLocality;
import io.taskmetering.domain.trace.SpanEvent;
import io.taskmetering.domain.trace.SpanKind;
import io.taskmetering.domain.trace.SpanStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OTLP export as the protocol-neutral spans the application reads: ids as lower-case hex, times as instants,
 * attribute values as JSON-like Java values, the parent's locality from the span flags. A span whose fields cannot be
 * used is not mapped but reported with its position and the field at fault.
 */
final class OtlpSpans {
    /** OTLP span flags: bit 8 says whether bit 9 is known; bit 9 says the parent is remote. */
    static final int HAS_IS_REMOTE = 0x100;
    static final int IS_REMOTE = 0x200;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** The spans that could be used, where each one stood, and those refused with why. */
    record Mapped(List<AgentSpan> spans, Map<String, SpanPosition> positions, Map<SpanPosition, String> rejected) {
        int total() {
            return spans.size() + rejected.size();
        }

        /** Where the span {@code traceId}/{@code spanId} stood in the request. */
        SpanPosition position(String traceId, String spanId) {
            return positions.get(traceId + "/" + spanId);
        }
    }

    private OtlpSpans() {
    }

    /** Maps every span of {@code request} but those {@code rejected} already (by position) while it was read. */
    static Mapped map(ExportTraceServiceRequest request, Map<SpanPosition, String> rejected) {
        List<AgentSpan> spans = new ArrayList<>();
        Map<String, SpanPosition> positions = new LinkedHashMap<>();
        Map<SpanPosition, String> refused = new LinkedHashMap<>(rejected);
        for (int r = 0; r < request.getResourceSpansCount(); r++) {
            ResourceSpans resource = request.getResourceSpans(r);
            Map<String, Object> resourceAttributes = null;
            for (int s = 0; s < resource.getScopeSpansCount(); s++) {
                ScopeSpans scope = resource.getScopeSpans(s);
                for (int i = 0; i < scope.getSpansCount(); i++) {
                    SpanPosition position = new SpanPosition(r, s, i);
                    if (refused.containsKey(position)) {
                        continue;
                    }
                    if (resourceAttributes == null) {
                        resourceAttributes = attributes(resource.getResource().getAttributesList());
                    }
                    try {
                        AgentSpan span = span(scope.getSpans(i), resourceAttributes);
                        spans.add(span);
                        positions.put(span.traceId() + "/" + span.spanId(), position);
                    } catch (InvalidValueException e) {
                        refused.put(position, position.path() + "." + e.field() + ": " + e.reason());
                    }
                }
            }
        }
        return new Mapped(spans, positions, refused);
    }

    private static AgentSpan span(Span span, Map<String, Object> resourceAttributes) {
        for (int l = 0; l < span.getLinksCount(); l++) {
            Span.Link link = span.getLinks(l);
            requireIdLength("links[" + l + "].traceId", link.getTraceId(), 16);
            requireIdLength("links[" + l + "].spanId", link.getSpanId(), 8);
        }
        List<SpanEvent> events = new ArrayList<>(span.getEventsCount());
        for (int e = 0; e < span.getEventsCount(); e++) {
            Span.Event event = span.getEvents(e);
            events.add(new SpanEvent(event.getName(), instant("events[" + e + "].timeUnixNano", event.getTimeUnixNano()),
                    attributes(event.getAttributesList())));
        }
        String statusMessage = span.getStatus().getMessage();
        return new AgentSpan(hex(span.getTraceId()), hex(span.getSpanId()), hex(span.getParentSpanId()),
                locality(span.getFlags()), span.getName(), kind(span.getKindValue()),
                instant("startTimeUnixNano", span.getStartTimeUnixNano()),
                instant("endTimeUnixNano", span.getEndTimeUnixNano()),
                status(span.getStatus().getCodeValue()), statusMessage.isEmpty() ? null : statusMessage,
                attributes(span.getAttributesList()), resourceAttributes, events);
    }

    private static void requireIdLength(String field, ByteString id, int bytes) {
        if (!id.isEmpty() && id.size() != bytes) {
            throw new InvalidValueException(field, "must be " + 2 * bytes + " hex digits");
        }
    }

    static ParentLocality locality(int flags) {
        if ((flags & HAS_IS_REMOTE) == 0) {
            return ParentLocality.UNKNOWN;
        }
        return (flags & IS_REMOTE) != 0 ? ParentLocality.REMOTE : ParentLocality.LOCAL;
    }

    private static SpanKind kind(int value) {
        if (value < 0 || value >= SpanKind.values().length) {
            throw new InvalidValueException("kind", "must be a span kind from 0 to " + (SpanKind.values().length - 1));
        }
        return SpanKind.values()[value];
    }

    private static SpanStatus status(int value) {
        if (value < 0 || value >= SpanStatus.values().length) {
            throw new InvalidValueException("status.code", "must be a status code from 0 to "
                    + (SpanStatus.values().length - 1));
        }
        return SpanStatus.values()[value];
    }

    /** Lower-case hex; an absent id (no bytes) is the empty string, which the span reads as none. */
    private static String hex(ByteString id) {
        return HexFormat.of().formatHex(id.toByteArray());
    }

    /** Unsigned nanoseconds since the epoch; 0 is absent (null), past 2^63 - 1 is out of range. */
    private static Instant instant(String field, long unsignedNanos) {
        if (unsignedNanos == 0) {
            return null;
        }
        if (unsignedNanos < 0) {
            throw new InvalidValueException(field, "must be at most " + Long.MAX_VALUE + " nanoseconds");
        }
        return Instant.ofEpochSecond(unsignedNanos / NANOS_PER_SECOND, unsignedNanos % NANOS_PER_SECOND);
    }

    /** Attributes in order; a key given twice keeps its last value, an attribute without a value is left out. */
    static Map<String, Object> attributes(List<KeyValue> attributes) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (KeyValue attribute : attributes) {
            Object value = value(attribute.getValue());
            if (value != null) {
                values.put(attribute.getKey(), value);
            }
        }
        return values;
    }

    /**
     * A JSON-like value: String, Boolean, Long, Double, a List or a Map of those. A double that is not finite becomes
     * its name ({@code "NaN"}), which evidence can hold; bytes become base64 text; an unset value is null.
     */
    static Object value(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> value.getBoolValue();
            case INT_VALUE -> value.getIntValue();
            case DOUBLE_VALUE -> Double.isFinite(value.getDoubleValue())
                    ? value.getDoubleValue() : Double.toString(value.getDoubleValue());
            case BYTES_VALUE -> Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
            case ARRAY_VALUE -> {
                List<Object> items = new ArrayList<>();
                for (AnyValue item : value.getArrayValue().getValuesList()) {
                    Object mapped = value(item);
                    if (mapped != null) {
                        items.add(mapped);
                    }
                }
                yield List.copyOf(items);
            }
            case KVLIST_VALUE -> java.util.Collections.unmodifiableMap(attributes(value.getKvlistValue().getValuesList()));
            default -> null; // unset (or a profiles-only string table index, which traces never use)
        };
    }
}
