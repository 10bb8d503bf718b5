package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads OTLP JSON: the protobuf JSON mapping, except that trace and span ids are hex strings (any case), not base64.
 * The body is read as strict JSON first (valid UTF-8, no duplicate keys, bounded nesting), then the ids of every span
 * and link are rewritten from hex to base64 and the result is parsed by the published protobuf classes, ignoring
 * unknown fields. An id that is not hex makes its span rejected (reported, not a 400); a container of the wrong JSON
 * type ({@code spans} not an array) makes the body undecodable (400 naming it).
 */
final class OtlpJson {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2})*");
    private static final List<String> SPAN_IDS = List.of("traceId", "spanId", "parentSpanId");
    private static final List<String> LINK_IDS = List.of("traceId", "spanId");
    /** Protobuf's full message names in its parser's messages ({@code opentelemetry.proto.trace.v1.Span}). */
    private static final Pattern PROTO_NAME = Pattern.compile("(?:[a-z0-9_]+\\.)+([A-Z]\\w*)");
    private static final int MAX_REASON_LENGTH = 200;

    /** Where a span stands in the request: {@code resourceSpans[r].scopeSpans[s].spans[i]}. */
    record SpanPosition(int resource, int scope, int span) {
        String path() {
            return "resourceSpans[" + resource + "].scopeSpans[" + scope + "].spans[" + span + "]";
        }
    }

    /** The parsed request and the spans already rejected while reading it, with why (naming the field). */
    record Read(ExportTraceServiceRequest request, Map<SpanPosition, String> rejected) {
    }

    private final Json json;

    /** @param json a strict reader whose string limit is the OTLP body limit */
    OtlpJson(Json json) {
        this.json = json;
    }

    Read read(byte[] body) {
        JsonNode root = strict(body);
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("body", "must be a JSON object (an OTLP ExportTraceServiceRequest)");
        }
        Map<SpanPosition, String> rejected = new HashMap<>();
        List<JsonNode> resources = array(root, "resourceSpans", "resourceSpans");
        for (int r = 0; r < resources.size(); r++) {
            String resourcePath = "resourceSpans[" + r + "]";
            JsonNode resource = resources.get(r);
            JsonNode described = object(resource, "resource", resourcePath + ".resource");
            if (described != null) {
                array(described, "attributes", resourcePath + ".resource.attributes");
            }
            List<JsonNode> scopes = array(resource, "scopeSpans", resourcePath + ".scopeSpans");
            for (int s = 0; s < scopes.size(); s++) {
                String scopePath = resourcePath + ".scopeSpans[" + s + "]";
                List<JsonNode> spans = array(scopes.get(s), "spans", scopePath + ".spans");
                for (int i = 0; i < spans.size(); i++) {
                    SpanPosition position = new SpanPosition(r, s, i);
                    String problem = span((ObjectNode) spans.get(i), position.path());
                    if (problem != null) {
                        rejected.put(position, problem);
                    }
                }
            }
        }
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        try {
            PARSER.merge(json.mapper().writeValueAsString(root), request);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw ApiException.badRequest("body", "does not follow the OTLP JSON encoding: " + plainReason(e));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree could not be written again", e);
        }
        return new Read(request.build(), rejected);
    }

    private JsonNode strict(byte[] body) {
        try {
            return json.parse(body);
        } catch (ApiException e) {
            // Every failure to read the JSON (an over-long key included) is an undecodable body in OTLP's terms.
            throw new ApiException(400, "Bad Request", e.detail(), e.errors());
        }
    }

    /**
     * Checks the span's containers and rewrites its ids (and its links' ids) to base64; the first id that is not hex
     * is removed and named in the returned reason, which rejects the span.
     */
    private static String span(ObjectNode span, String path) {
        String problem = ids(span, SPAN_IDS, path);
        array(span, "attributes", path + ".attributes");
        array(span, "events", path + ".events");
        object(span, "status", path + ".status");
        List<JsonNode> links = array(span, "links", path + ".links");
        for (int l = 0; l < links.size(); l++) {
            String linkProblem = ids((ObjectNode) links.get(l), LINK_IDS, path + ".links[" + l + "]");
            problem = problem == null ? linkProblem : problem;
        }
        return problem;
    }

    private static String ids(ObjectNode holder, List<String> fields, String path) {
        String problem = null;
        for (String field : fields) {
            JsonNode id = holder.get(field);
            if (id == null || id.isNull()) {
                continue;
            }
            if (id.isTextual() && HEX.matcher(id.asText()).matches()) {
                holder.put(field, Base64.getEncoder().encodeToString(HexFormat.of().parseHex(id.asText())));
            } else {
                holder.remove(field);
                if (problem == null) {
                    problem = path + "." + field + ": must be a hex string ("
                            + (field.equals("traceId") ? 32 : 16) + " hex digits)";
                }
            }
        }
        return problem;
    }

    /** The elements of an array member (none when absent or null); each must be an object. */
    private static List<JsonNode> array(JsonNode holder, String field, String path) {
        JsonNode value = holder.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw ApiException.badRequest(path, "must be a JSON array");
        }
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isObject()) {
                throw ApiException.badRequest(path + "[" + i + "]", "must be a JSON object");
            }
        }
        List<JsonNode> elements = new ArrayList<>(value.size());
        value.forEach(elements::add);
        return elements;
    }

    /** An object member, null when absent or null. */
    private static JsonNode object(JsonNode holder, String field, String path) {
        JsonNode value = holder.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw ApiException.badRequest(path, "must be a JSON object");
        }
        return value;
    }

    /** The protobuf parser's reason without its Java and protobuf type names, and short. */
    static String plainReason(Exception e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        message = PROTO_NAME.matcher(message).replaceAll("$1").replaceAll("\\s+", " ").trim();
        if (message.isEmpty() || message.contains("Exception") || message.contains("com.google")) {
            return "a value has the wrong type or form";
        }
        return message.length() > MAX_REASON_LENGTH ? message.substring(0, MAX_REASON_LENGTH) + "…" : message;
    }
}
