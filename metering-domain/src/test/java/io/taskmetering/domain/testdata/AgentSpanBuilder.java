package io.taskmetering.domain.testdata;

import io.taskmetering.domain.trace.AgentSpan;
import io.taskmetering.domain.trace.ParentLocality;
import io.taskmetering.domain.trace.SpanEvent;
import io.taskmetering.domain.trace.SpanKind;
import io.taskmetering.domain.trace.SpanStatus;
import io.taskmetering.domain.trace.TraceTasks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link AgentSpan}s as an OpenTelemetry GenAI instrumentation exports them: {@link #agent} an
 * {@code invoke_agent} span (kind INTERNAL, agent {@code support-agent}), {@link #chat} an inference span,
 * {@link #tool} an {@code execute_tool} span; anything else with {@link #span}. Ids are hex; a test names spans by
 * short numbers ({@code 1} is span {@code 0000000000000001}). Shared through the domain test-jar.
 */
public final class AgentSpanBuilder {
    public static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    public static final Instant START = Instant.parse("2025-06-01T14:30:00Z");

    private String traceId = TRACE;
    private final String spanId;
    private String parentSpanId;
    private ParentLocality parentLocality = ParentLocality.LOCAL;
    private String name;
    private SpanKind kind = SpanKind.INTERNAL;
    private Instant startedAt = START;
    private Instant endedAt = START.plusSeconds(2);
    private SpanStatus status = SpanStatus.UNSET;
    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private final Map<String, Object> resource = new LinkedHashMap<>();
    private final List<SpanEvent> events = new ArrayList<>();

    private AgentSpanBuilder(long spanId, String name) {
        this.spanId = id(spanId);
        this.name = name;
    }

    /** The span id a test calls {@code n}. */
    public static String id(long n) {
        return String.format("%016x", n);
    }

    public static AgentSpanBuilder span(long spanId, String name) {
        return new AgentSpanBuilder(spanId, name);
    }

    public static AgentSpanBuilder agent(long spanId) {
        return span(spanId, "invoke_agent support-agent")
                .attribute(TraceTasks.OPERATION, TraceTasks.INVOKE_AGENT)
                .attribute(TraceTasks.AGENT_NAME, "support-agent");
    }

    public static AgentSpanBuilder chat(long spanId, long inputTokens, long outputTokens) {
        return span(spanId, "chat gpt-4o").kind(SpanKind.CLIENT)
                .attribute(TraceTasks.OPERATION, "chat")
                .attribute(TraceTasks.INPUT_TOKENS, inputTokens)
                .attribute(TraceTasks.OUTPUT_TOKENS, outputTokens);
    }

    public static AgentSpanBuilder tool(long spanId, String toolName) {
        return span(spanId, "execute_tool " + toolName)
                .attribute(TraceTasks.OPERATION, TraceTasks.EXECUTE_TOOL)
                .attribute(TraceTasks.TOOL_NAME, toolName);
    }

    public AgentSpanBuilder trace(String traceId) {
        this.traceId = traceId;
        return this;
    }

    public AgentSpanBuilder parent(long parentSpanId) {
        this.parentSpanId = id(parentSpanId);
        return this;
    }

    public AgentSpanBuilder parentLocality(ParentLocality locality) {
        this.parentLocality = locality;
        return this;
    }

    public AgentSpanBuilder kind(SpanKind kind) {
        this.kind = kind;
        return this;
    }

    /** Started {@code fromSeconds} and ended {@code toSeconds} after {@link #START}. */
    public AgentSpanBuilder during(long fromSeconds, long toSeconds) {
        this.startedAt = START.plusSeconds(fromSeconds);
        this.endedAt = START.plusSeconds(toSeconds);
        return this;
    }

    public AgentSpanBuilder lasting(Duration duration) {
        this.endedAt = startedAt.plus(duration);
        return this;
    }

    public AgentSpanBuilder status(SpanStatus status) {
        this.status = status;
        return this;
    }

    public AgentSpanBuilder attribute(String key, Object value) {
        attributes.put(key, value);
        return this;
    }

    public AgentSpanBuilder without(String key) {
        attributes.remove(key);
        return this;
    }

    public AgentSpanBuilder resource(String key, Object value) {
        resource.put(key, value);
        return this;
    }

    public AgentSpanBuilder event(String eventName, Map<String, Object> eventAttributes) {
        events.add(new SpanEvent(eventName, endedAt, eventAttributes));
        return this;
    }

    /** A {@code gen_ai.evaluation.result} event of the IntentResolution evaluator with a score. */
    public AgentSpanBuilder intentScore(double score) {
        return event(TraceTasks.EVALUATION_EVENT, Map.of(TraceTasks.EVALUATION_NAME, TraceTasks.INTENT_RESOLUTION,
                TraceTasks.SCORE_VALUE, score));
    }

    /** A {@code gen_ai.evaluation.result} event of the IntentResolution evaluator with a label. */
    public AgentSpanBuilder intentLabel(String label) {
        return event(TraceTasks.EVALUATION_EVENT, Map.of(TraceTasks.EVALUATION_NAME, TraceTasks.INTENT_RESOLUTION,
                TraceTasks.SCORE_LABEL, label));
    }

    /** Captured output messages ending with an assistant message of {@code text}. */
    public AgentSpanBuilder answer(String text) {
        return attribute(TraceTasks.OUTPUT_MESSAGES, "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\","
                + "\"content\":" + quoted(text) + "}],\"finish_reason\":\"stop\"}]");
    }

    /** Captured input messages ending with a user message of {@code text}. */
    public AgentSpanBuilder question(String text) {
        return attribute(TraceTasks.INPUT_MESSAGES, "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\","
                + "\"content\":\"You help.\"}]},{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":"
                + quoted(text) + "}]}]");
    }

    public AgentSpan build() {
        return new AgentSpan(traceId, spanId, parentSpanId, parentSpanId == null ? ParentLocality.UNKNOWN : parentLocality,
                name, kind, startedAt, endedAt, status, null, attributes, resource, events);
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
