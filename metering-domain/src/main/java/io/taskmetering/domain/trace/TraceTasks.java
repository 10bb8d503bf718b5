package io.taskmetering.domain.trace;

import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.PlausibleTime;
import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.AdherenceContract;
import io.taskmetering.domain.evaluation.Evidence;
import io.taskmetering.domain.usage.UsageRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The whole mapping from OpenTelemetry GenAI spans to tasks, in one place (docs/telemetry.md): which spans are agent
 * invocations, which are kept at ingest and for which subscription, when an agent span is a task of its own, and the
 * evidence and usage of that task. The evidence is built so that the existing {@link AdherenceContract} gates decide
 * it; nothing here decides a gate. Pure: the same spans give the same answer whatever order they arrived in.
 */
public final class TraceTasks {
    public static final String OPERATION = "gen_ai.operation.name";
    public static final String INVOKE_AGENT = "invoke_agent";
    public static final String EXECUTE_TOOL = "execute_tool";
    /** The inference operations whose token counts add up to a task's when its agent span reports none. */
    public static final Set<String> INFERENCE_OPERATIONS = Set.of("chat", "generate_content", "text_completion");
    public static final String AGENT_ID = "gen_ai.agent.id";
    public static final String AGENT_NAME = "gen_ai.agent.name";
    public static final String AGENT_VERSION = "gen_ai.agent.version";
    public static final String SERVICE_NAME = "service.name";
    public static final String TOOL_NAME = "gen_ai.tool.name";
    public static final String ERROR_TYPE = "error.type";
    public static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
    public static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
    /** The names older instrumentations still write. */
    public static final String PROMPT_TOKENS = "gen_ai.usage.prompt_tokens";
    public static final String COMPLETION_TOKENS = "gen_ai.usage.completion_tokens";
    public static final String INPUT_MESSAGES = "gen_ai.input.messages";
    public static final String OUTPUT_MESSAGES = "gen_ai.output.messages";
    public static final String EVALUATION_EVENT = "gen_ai.evaluation.result";
    public static final String EVALUATION_NAME = "gen_ai.evaluation.name";
    public static final String SCORE_VALUE = "gen_ai.evaluation.score.value";
    public static final String SCORE_LABEL = "gen_ai.evaluation.score.label";
    public static final String INTENT_RESOLUTION = "IntentResolution";
    public static final String OUTPUT_PREFIX = "metering.output.";
    public static final String APPROVAL = "metering.approval";
    /**
     * Output keys the gates read from their own sources (span status, evaluation event, approval attribute), so a
     * {@code metering.output.*} attribute of that name is ignored rather than allowed to pass a gate.
     */
    public static final Set<String> GATE_OUTPUT_KEYS = Set.of("terminal_success", "status", "approved",
            "intent_handled");
    /** Evidence output with the final answer when no {@code metering.output.*} attribute was set. */
    public static final String RESULT_OUTPUT = "result";

    private static final Comparator<AgentSpan> TRACE_ORDER = Comparator.comparing(AgentSpan::startedAt)
            .thenComparing(AgentSpan::spanId);

    private TraceTasks() {
    }

    /** An agent invocation that may be a task: {@code invoke_agent}, kind CLIENT or INTERNAL (the span has ended). */
    public static boolean isAgentInvocation(AgentSpan span) {
        return INVOKE_AGENT.equals(span.attributes().get(OPERATION))
                && (span.kind() == SpanKind.CLIENT || span.kind() == SpanKind.INTERNAL);
    }

    // ------------------------------------------------------------------ ingest

    /**
     * What becomes of each span of one export received at {@code now}, in order. Every span naming a subscription
     * outside {@code keyScope} (empty = any) is rejected. An agent invocation must name its agent, resolve a
     * subscription (its attribute, its resource's, else the key's only one) and have ended at a plausible time for an
     * outcome ({@link PlausibleTime}); one nested under another admitted agent invocation of the same export needs
     * none of that, as it is evidence of that one's task.
     */
    public static List<SpanAdmission> admit(List<AgentSpan> spans, Set<SubscriptionRef> keyScope, TraceMapping mapping,
                                            Instant now) {
        Map<String, AgentSpan> byKey = new HashMap<>();
        for (AgentSpan span : spans) {
            byKey.putIfAbsent(key(span.traceId(), span.spanId()), span);
        }
        Map<String, SpanAdmission> decided = new HashMap<>();
        List<SpanAdmission> admissions = new ArrayList<>(spans.size());
        for (AgentSpan span : spans) {
            admissions.add(admission(span, byKey, keyScope, mapping, now, decided, new HashSet<>()));
        }
        return admissions;
    }

    private static SpanAdmission admission(AgentSpan span, Map<String, AgentSpan> byKey, Set<SubscriptionRef> scope,
                                           TraceMapping mapping, Instant now, Map<String, SpanAdmission> decided,
                                           Set<String> visiting) {
        String key = key(span.traceId(), span.spanId());
        SpanAdmission known = decided.get(key);
        if (known != null) {
            return known;
        }
        if (!visiting.add(key)) {
            return new SpanAdmission.Rejected("parentSpanId: the span is its own ancestor");
        }
        SpanAdmission admission;
        SubscriptionRef named;
        try {
            named = namedSubscription(span, mapping);
        } catch (InvalidValueException e) {
            admission = rejected(e);
            decided.put(key, admission);
            return admission;
        }
        if (named != null && !scope.isEmpty() && !scope.contains(named)) {
            admission = new SpanAdmission.Rejected(mapping.subscriptionAttribute() + ": " + named.value()
                    + " is not a subscription this key may meter");
        } else if (!isAgentInvocation(span)) {
            admission = new SpanAdmission.Kept();
        } else {
            admission = candidate(span, named, scope, mapping, now);
            if (admission instanceof SpanAdmission.Rejected) {
                AgentSpan above = nearestAgentAncestor(span, byKey);
                if (above != null && admission(above, byKey, scope, mapping, now, decided, visiting)
                        instanceof SpanAdmission.Candidate) {
                    admission = new SpanAdmission.Candidate(named);
                }
            }
        }
        decided.put(key, admission);
        return admission;
    }

    private static SpanAdmission candidate(AgentSpan span, SubscriptionRef named, Set<SubscriptionRef> scope,
                                           TraceMapping mapping, Instant now) {
        try {
            PlausibleTime.requireEventTime("endTimeUnixNano", span.endedAt(), now);
            taskId(span, mapping);
            agentId(span);
            agentVersion(span);
        } catch (InvalidValueException e) {
            return rejected(e);
        }
        if (named != null) {
            return new SpanAdmission.Candidate(named);
        }
        if (scope.size() == 1) {
            return new SpanAdmission.Candidate(scope.iterator().next());
        }
        return new SpanAdmission.Rejected(mapping.subscriptionAttribute() + ": is required: neither the span nor its "
                + "resource names a subscription, and the key may meter more than one");
    }

    private static SpanAdmission.Rejected rejected(InvalidValueException e) {
        return new SpanAdmission.Rejected(e.field() + ": " + e.reason());
    }

    private static AgentSpan nearestAgentAncestor(AgentSpan span, Map<String, AgentSpan> byKey) {
        Set<String> seen = new HashSet<>();
        AgentSpan current = span;
        while (current.parentSpanId() != null && seen.add(current.spanId())) {
            AgentSpan parent = byKey.get(key(span.traceId(), current.parentSpanId()));
            if (parent == null) {
                return null;
            }
            if (isAgentInvocation(parent)) {
                return parent;
            }
            current = parent;
        }
        return null;
    }

    /** The subscription the span or else its resource names, or null; an unusable value names the attribute. */
    private static SubscriptionRef namedSubscription(AgentSpan span, TraceMapping mapping) {
        String attribute = mapping.subscriptionAttribute();
        Object value = span.attributes().containsKey(attribute)
                ? span.attributes().get(attribute) : span.resourceAttributes().get(attribute);
        if (value == null) {
            return null;
        }
        return new SubscriptionRef(identifier(attribute, value));
    }

    // ------------------------------------------------------------------ settle

    /**
     * What the agent span {@code agentSpanId}, which arrived at {@code arrivedAt}, comes to given the spans of its
     * trace present {@code now}. Nothing is decided before its settle delay has passed. Walking up its parents: an
     * agent invocation above it makes it nested; a missing parent is a root's edge when there is none or it is
     * remote (it may never be exported here), and is waited for until the parent wait has passed when it is in the
     * same process (or the exporter did not say) — then the span is taken as a task of its own.
     */
    public static Settlement settle(String agentSpanId, Instant arrivedAt, Collection<AgentSpan> trace, Instant now,
                                    TraceMapping mapping) {
        Map<String, AgentSpan> byId = byId(trace);
        AgentSpan agent = byId.get(agentSpanId);
        if (agent == null) {
            return new Settlement.Refused("spanId: the agent span " + agentSpanId + " is not kept");
        }
        Instant settled = arrivedAt.plus(mapping.settleDelay());
        if (now.isBefore(settled)) {
            return new Settlement.Waiting(settled);
        }
        Set<String> seen = new HashSet<>();
        AgentSpan current = agent;
        while (current.parentSpanId() != null && seen.add(current.spanId())) {
            AgentSpan parent = byId.get(current.parentSpanId());
            if (parent == null) {
                Instant waited = arrivedAt.plus(mapping.parentWait());
                if (current.parentLocality() != ParentLocality.REMOTE && now.isBefore(waited)) {
                    return new Settlement.Waiting(waited);
                }
                break;
            }
            if (isAgentInvocation(parent)) {
                return new Settlement.Nested(parent.spanId());
            }
            current = parent;
        }
        try {
            return new Settlement.Task(task(agent, byId, mapping));
        } catch (InvalidValueException e) {
            return new Settlement.Refused(e.field() + ": " + e.reason());
        }
    }

    /**
     * The spans below the agent span {@code agentSpanId} in {@code trace} that its decided evidence does not list, as
     * evidence trace entries in trace order: they arrived after the task was decided, are shown with it, and change
     * nothing billed.
     */
    public static List<Map<String, Object>> lateSpans(String agentSpanId, Collection<AgentSpan> trace,
                                                      Evidence evidence) {
        Map<String, AgentSpan> byId = byId(trace);
        AgentSpan agent = byId.get(agentSpanId);
        if (agent == null) {
            return List.of();
        }
        Set<Object> listed = new HashSet<>();
        evidence.traces().forEach(entry -> listed.add(entry.get("span_id")));
        return subtree(agent, byId).stream()
                .filter(span -> !listed.contains(span.spanId()))
                .map(span -> traceEntry(span, agent, null))
                .toList();
    }

    /** {@code otlp-<traceId>-<spanId>}: one agent span is one decision, however often it is settled. */
    public static CorrelationId correlationId(String traceId, String spanId) {
        return new CorrelationId("otlp-" + traceId + "-" + spanId);
    }

    static TraceTask task(AgentSpan agent, Map<String, AgentSpan> byId, TraceMapping mapping) {
        List<AgentSpan> tree = subtree(agent, byId);
        TaskUsage usage = usage(agent, tree);
        return new TraceTask(correlationId(agent.traceId(), agent.spanId()), taskId(agent, mapping), agentId(agent),
                agentVersion(agent), agent.endedAt(), evidence(agent, tree, usage), usage);
    }

    // ------------------------------------------------------------------ identity

    private static TaskId taskId(AgentSpan span, TraceMapping mapping) {
        Object value = span.attributes().get(mapping.taskIdAttribute());
        return new TaskId(value == null
                ? span.traceId() + ":" + span.spanId()
                : identifier(mapping.taskIdAttribute(), value));
    }

    private static AgentId agentId(AgentSpan span) {
        for (String attribute : List.of(AGENT_ID, AGENT_NAME)) {
            Object value = span.attributes().get(attribute);
            if (value != null) {
                return new AgentId(identifier(attribute, value));
            }
        }
        Object service = span.resourceAttributes().get(SERVICE_NAME);
        if (service != null) {
            return new AgentId(identifier(SERVICE_NAME, service));
        }
        throw new InvalidValueException(AGENT_ID, "is required: the span names no " + AGENT_ID + " or " + AGENT_NAME
                + " and its resource no " + SERVICE_NAME);
    }

    private static String agentVersion(AgentSpan span) {
        Object value = span.attributes().get(AGENT_VERSION);
        return value == null ? null : identifier(AGENT_VERSION, value);
    }

    /** A string (or integer) attribute as an identifier, named by the attribute when it is not one. */
    private static String identifier(String attribute, Object value) {
        if (!(value instanceof String) && !(value instanceof Long)) {
            throw new InvalidValueException(attribute, "must be a string");
        }
        return Require.id(attribute, value.toString());
    }

    // ------------------------------------------------------------------ evidence

    private static Evidence evidence(AgentSpan agent, List<AgentSpan> tree, TaskUsage usage) {
        Map<String, Object> attributes = agent.attributes();
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("terminal_success", agent.status() != SpanStatus.ERROR && !attributes.containsKey(ERROR_TYPE));
        Map<String, Object> declared = new TreeMap<>();
        attributes.forEach((name, value) -> {
            if (name.startsWith(OUTPUT_PREFIX) && name.length() > OUTPUT_PREFIX.length()) {
                String key = name.substring(OUTPUT_PREFIX.length());
                if (!GATE_OUTPUT_KEYS.contains(key)) {
                    declared.put(key, jsonValue(value));
                }
            }
        });
        Optional<String> answer = stringAttribute(agent, OUTPUT_MESSAGES).flatMap(GenAiMessages::lastText)
                .map(TraceTasks::unicode);
        if (!declared.isEmpty()) {
            outputs.putAll(declared);
        } else {
            answer.ifPresent(text -> outputs.put(RESULT_OUTPUT, text));
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        Boolean handled = null;
        Optional<SpanEvent> evaluation = intentEvaluation(agent);
        if (evaluation.isPresent()) {
            Map<String, Object> event = evaluation.get().attributes();
            if (event.get(SCORE_VALUE) instanceof Number score && Double.isFinite(score.doubleValue())) {
                scores.put(AdherenceContract.INTENT_RESOLUTION_SCORE, score.doubleValue());
            } else if (event.get(SCORE_LABEL) instanceof String label) {
                handled = "pass".equalsIgnoreCase(label) ? Boolean.TRUE
                        : "fail".equalsIgnoreCase(label) ? Boolean.FALSE : null;
            }
        }
        if (handled != null) {
            outputs.put("intent_handled", handled);
        }
        if (attributes.get(APPROVAL) instanceof String approval && approval.equalsIgnoreCase("granted")) {
            outputs.put("approved", true);
        }
        // An evaluation that failed the intent is not overruled by the "query answered" fallback of gate 0.
        String query = null;
        String response = null;
        if (!Boolean.FALSE.equals(handled)) {
            query = stringAttribute(agent, INPUT_MESSAGES).flatMap(m -> GenAiMessages.lastTextOf(m, "user"))
                    .map(TraceTasks::unicode).orElse(null);
            response = answer.orElse(null);
        }
        List<Map<String, Object>> traces = new ArrayList<>(tree.size());
        for (AgentSpan span : tree) {
            traces.add(traceEntry(span, agent, usage));
        }
        return new Evidence(outputs, traces, scores, query, response);
    }

    /** The last {@code IntentResolution} evaluation recorded on the span. */
    private static Optional<SpanEvent> intentEvaluation(AgentSpan span) {
        SpanEvent last = null;
        for (SpanEvent event : span.events()) {
            if (EVALUATION_EVENT.equals(event.name()) && INTENT_RESOLUTION.equals(event.attributes().get(EVALUATION_NAME))
                    && (last == null || last.time() == null
                    || event.time() != null && !event.time().isBefore(last.time()))) {
                last = event;
            }
        }
        return Optional.ofNullable(last);
    }

    private static Map<String, Object> traceEntry(AgentSpan span, AgentSpan agent, TaskUsage usage) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("span_id", span.spanId());
        entry.put("parent_span_id", span.parentSpanId());
        entry.put("name", unicode(span.name()));
        entry.put("operation", stringAttribute(span, OPERATION).map(TraceTasks::unicode).orElse(null));
        entry.put("tool_name", toolName(span, agent));
        entry.put("status", span.status().name().toLowerCase(Locale.ROOT));
        Object errorType = span.attributes().get(ERROR_TYPE);
        entry.put("error_type", errorType == null ? null : unicode(String.valueOf(errorType)));
        entry.put("started_at", span.startedAt().toString());
        entry.put("ended_at", span.endedAt().toString());
        Long in = tokens(span, INPUT_TOKENS, PROMPT_TOKENS);
        Long out = tokens(span, OUTPUT_TOKENS, COMPLETION_TOKENS);
        if (in != null) {
            entry.put("input_tokens", in);
        }
        if (out != null) {
            entry.put("output_tokens", out);
        }
        if (span == agent && usage != null) {
            entry.put("usage_source", usage.source().code());
            if (usage.capped()) {
                entry.put("usage_capped", true);
            }
        }
        return entry;
    }

    /** A tool call's tool; a nested agent invocation as an agent tool, so the contract sees several agents. */
    private static String toolName(AgentSpan span, AgentSpan agent) {
        String operation = stringAttribute(span, OPERATION).orElse(null);
        if (EXECUTE_TOOL.equals(operation)) {
            return stringAttribute(span, TOOL_NAME).map(TraceTasks::unicode).orElse(null);
        }
        if (INVOKE_AGENT.equals(operation) && span != agent) {
            String name = stringAttribute(span, AGENT_NAME).or(() -> stringAttribute(span, AGENT_ID))
                    .orElse(span.name());
            return AdherenceContract.AGENT_TOOL_PREFIX + unicode(name);
        }
        return null;
    }

    // ------------------------------------------------------------------ usage

    private static TaskUsage usage(AgentSpan agent, List<AgentSpan> tree) {
        Sum in = new Sum();
        Sum out = new Sum();
        UsageSource source = UsageSource.NONE;
        Long agentIn = tokens(agent, INPUT_TOKENS, PROMPT_TOKENS);
        Long agentOut = tokens(agent, OUTPUT_TOKENS, COMPLETION_TOKENS);
        if (agentIn != null || agentOut != null) {
            source = UsageSource.AGENT_SPAN;
            in.add(agentIn);
            out.add(agentOut);
        } else {
            for (AgentSpan span : tree) {
                if (span.attributes().get(OPERATION) instanceof String operation
                        && INFERENCE_OPERATIONS.contains(operation)) {
                    Long spanIn = tokens(span, INPUT_TOKENS, PROMPT_TOKENS);
                    Long spanOut = tokens(span, OUTPUT_TOKENS, COMPLETION_TOKENS);
                    if (spanIn != null || spanOut != null) {
                        source = UsageSource.INFERENCE_SPANS;
                    }
                    in.add(spanIn);
                    out.add(spanOut);
                }
            }
        }
        Sum duration = new Sum();
        try {
            duration.add(Duration.between(agent.startedAt(), agent.endedAt()).toMillis());
        } catch (ArithmeticException beyondLong) {
            duration.add(Long.MAX_VALUE);
        }
        Sum calls = new Sum();
        tree.stream().filter(span -> EXECUTE_TOOL.equals(span.attributes().get(OPERATION))).forEach(span -> calls.add(1L));
        return new TaskUsage(in.value, out.value, duration.value, calls.value, source,
                in.capped || out.capped || duration.capped || calls.capped);
    }

    /** A count attribute under its name or its older name; absent (null) unless a non-negative integer. */
    private static Long tokens(AgentSpan span, String name, String olderName) {
        Object value = span.attributes().containsKey(name) ? span.attributes().get(name)
                : span.attributes().get(olderName);
        if (value instanceof Long count && count >= 0) {
            return count;
        }
        if (value instanceof Double count && count >= 0 && count == Math.rint(count) && !count.isInfinite()) {
            return count >= Long.MAX_VALUE ? Long.MAX_VALUE : count.longValue();
        }
        return null;
    }

    /** A count that stops at {@link UsageRecord#MAX_COUNT} and remembers that it did. */
    private static final class Sum {
        long value;
        boolean capped;

        void add(Long count) {
            if (count == null) {
                return;
            }
            long next = value + Math.min(count, UsageRecord.MAX_COUNT); // both at most MAX_COUNT: no overflow
            if (next > UsageRecord.MAX_COUNT || count > UsageRecord.MAX_COUNT) {
                capped = true;
                next = UsageRecord.MAX_COUNT;
            }
            value = next;
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, AgentSpan> byId(Collection<AgentSpan> trace) {
        Map<String, AgentSpan> byId = new HashMap<>();
        for (AgentSpan span : trace) {
            byId.merge(span.spanId(), span, (first, second) -> TRACE_ORDER.compare(first, second) <= 0 ? first : second);
        }
        return byId;
    }

    /** The span and every span below it, in trace order (start, then span id). */
    private static List<AgentSpan> subtree(AgentSpan root, Map<String, AgentSpan> byId) {
        Map<String, List<AgentSpan>> children = new HashMap<>();
        for (AgentSpan span : byId.values()) {
            if (span.parentSpanId() != null) {
                children.computeIfAbsent(span.parentSpanId(), id -> new ArrayList<>()).add(span);
            }
        }
        List<AgentSpan> tree = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Deque<AgentSpan> next = new ArrayDeque<>();
        next.add(root);
        while (!next.isEmpty()) {
            AgentSpan span = next.poll();
            if (seen.add(span.spanId())) {
                tree.add(span);
                next.addAll(children.getOrDefault(span.spanId(), List.of()));
            }
        }
        tree.sort(TRACE_ORDER);
        return tree;
    }

    private static Optional<String> stringAttribute(AgentSpan span, String name) {
        return span.attributes().get(name) instanceof String value ? Optional.of(value) : Optional.empty();
    }

    /** An attribute value as evidence holds it: text as valid Unicode, a non-finite number as its text. */
    private static Object jsonValue(Object value) {
        if (value instanceof String text) {
            return unicode(text);
        }
        if (value instanceof Double number && !Double.isFinite(number)) {
            return number.toString();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(TraceTasks::jsonValue).toList();
        }
        return value;
    }

    /** Unpaired surrogates (which evidence refuses) replaced by U+FFFD, so a span's text never fails its task. */
    private static String unicode(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                if (out != null) {
                    out.append(c).append(text.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (out == null) {
                    out = new StringBuilder(text.length()).append(text, 0, i);
                }
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    private static String key(String traceId, String spanId) {
        return traceId + "/" + spanId;
    }
}
