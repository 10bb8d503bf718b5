package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskmetering.application.port.in.OutcomeReport;
import io.taskmetering.application.port.in.OutcomeReport.UsageCounts;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.PlausibleTime;
import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.ContractConfig;
import io.taskmetering.domain.evaluation.Evidence;
import io.taskmetering.domain.evaluation.TraceSpan;
import io.taskmetering.domain.usage.UsageRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The request bodies of the native API as records, each read strictly from JSON (unknown fields refused, every
 * failure naming its field) and mapped explicitly to the application's commands. Domain validation failures are
 * reported under the same field names, prefixed with the item's position inside a batch.
 */
final class Requests {
    private Requests() {
    }

    /** Runs {@code read}, re-naming every failing field under {@code prefix} (e.g. {@code outcomes[3]}). */
    static <T> T within(String prefix, Supplier<T> read) {
        try {
            return read.get();
        } catch (ApiException e) {
            throw prefixed(prefix, e);
        } catch (InvalidValueException e) {
            throw prefixed(prefix, ApiException.unprocessable(e.field(), e.reason()));
        }
    }

    static ApiException prefixed(String prefix, ApiException e) {
        if (prefix.isEmpty()) {
            return e;
        }
        List<Problem.FieldError> errors = e.errors().stream()
                .map(error -> new Problem.FieldError(
                        "body".equals(error.field()) ? prefix : prefix + "." + error.field(), error.message()))
                .toList();
        String detail = errors.isEmpty() ? e.detail() : errors.get(0).field() + ": " + errors.get(0).message();
        return new ApiException(e.status(), e.title(), detail, errors);
    }

    /** Domain validation failures become 422 naming the field. */
    static <T> T validated(Supplier<T> build) {
        try {
            return build.get();
        } catch (InvalidValueException e) {
            throw ApiException.unprocessable(e.field(), e.reason());
        }
    }

    record TraceRequest(String spanId, String parentSpanId, String toolName, String status, Instant startedAt,
                        Instant endedAt) {
        static TraceRequest read(JsonFields f) {
            TraceRequest trace = new TraceRequest(f.string("span_id", true), f.string("parent_span_id", false),
                    f.string("tool_name", false), f.string("status", false), f.timestamp("started_at", false),
                    f.timestamp("ended_at", false));
            f.rejectUnknown();
            return trace;
        }
    }

    record EvidenceRequest(Map<String, Object> outputs, List<TraceRequest> traces, Map<String, Double> scores,
                           String query, String response) {
        static EvidenceRequest read(JsonFields f, int maxStringLength) {
            Map<String, Object> outputs = f.plainObject("outputs");
            List<JsonNode> traceNodes = f.array("traces", false);
            List<TraceRequest> traces = null;
            if (traceNodes != null) {
                traces = new ArrayList<>(traceNodes.size());
                for (int i = 0; i < traceNodes.size(); i++) {
                    traces.add(TraceRequest.read(JsonFields.strict(traceNodes.get(i), f.name("traces") + "[" + i + "]",
                            maxStringLength)));
                }
            }
            EvidenceRequest evidence = new EvidenceRequest(outputs, traces, f.numbers("scores"),
                    f.string("query", false), f.string("response", false));
            f.rejectUnknown();
            return evidence;
        }

        Evidence toEvidence() {
            List<Map<String, Object>> spans = null;
            if (traces != null) {
                spans = new ArrayList<>(traces.size());
                for (int i = 0; i < traces.size(); i++) {
                    TraceRequest t = traces.get(i);
                    String prefix = "evidence.traces[" + i + "]";
                    spans.add(within(prefix, () -> {
                        try {
                            return new TraceSpan(t.spanId(), t.parentSpanId(), t.toolName(), t.status(), t.startedAt(),
                                    t.endedAt()).toJson();
                        } catch (InvalidValueException e) {
                            String field = e.field().startsWith("traces.") ? e.field().substring("traces.".length()) : e.field();
                            throw ApiException.unprocessable(field, e.reason());
                        }
                    }));
                }
            }
            List<Map<String, Object>> finalSpans = spans;
            return validated(() -> new Evidence(outputs, finalSpans, scores, query, response));
        }
    }

    record UsageCountsRequest(long tokensIn, long tokensOut, long durationMs, long apiCalls) {
        static UsageCountsRequest read(JsonFields f) {
            UsageCountsRequest usage = new UsageCountsRequest(orZero(f.integer("tokens_in", false)),
                    orZero(f.integer("tokens_out", false)), orZero(f.integer("duration_ms", false)),
                    orZero(f.integer("api_calls", false)));
            f.rejectUnknown();
            return usage;
        }

        private static long orZero(Long value) {
            return value == null ? 0 : value;
        }

        UsageCounts toCounts() {
            return validated(() -> new UsageCounts(tokensIn, tokensOut, durationMs, apiCalls));
        }
    }

    /** {@code POST /v1/outcomes} and each item of a batch; {@code POST /v1/evaluations} without {@code usage}. */
    record OutcomeRequest(String taskId, String agentId, String subscriptionRef, String correlationId,
                          Instant occurredAt, String workflowId, String agentVersion, String dimension, String planId,
                          EvidenceRequest evidence, UsageCountsRequest usage) {
        static OutcomeRequest read(JsonFields f, boolean acceptsUsage, int maxStringLength) {
            String taskId = f.string("task_id", true);
            String agentId = f.string("agent_id", true);
            String subscriptionRef = f.string("subscription_ref", true);
            String correlationId = f.string("correlation_id", false);
            Instant occurredAt = f.timestamp("occurred_at", false);
            String workflowId = f.string("workflow_id", false);
            String agentVersion = f.string("agent_version", false);
            String dimension = f.string("dimension", false);
            String planId = f.string("plan_id", false);
            JsonFields evidenceFields = f.object("evidence", false);
            EvidenceRequest evidence = evidenceFields == null ? null : EvidenceRequest.read(evidenceFields, maxStringLength);
            UsageCountsRequest usage = null;
            if (acceptsUsage) {
                JsonFields usageFields = f.object("usage", false);
                usage = usageFields == null ? null : UsageCountsRequest.read(usageFields);
            }
            f.rejectUnknown();
            return new OutcomeRequest(taskId, agentId, subscriptionRef, correlationId, occurredAt, workflowId,
                    agentVersion, dimension, planId, evidence, usage);
        }

        /** The report; how far ahead {@code occurred_at} may lie is the application's rule (HourPolicy). */
        OutcomeReport toReport() {
            Evidence domainEvidence = evidence == null ? null : evidence.toEvidence();
            UsageCounts counts = usage == null ? null : usage.toCounts();
            return validated(() -> new OutcomeReport(new TaskId(taskId), new AgentId(agentId),
                    new SubscriptionRef(subscriptionRef), correlationId == null ? null : new CorrelationId(correlationId),
                    occurredAt, workflowId, agentVersion, dimension == null ? null : new Dimension(dimension),
                    planId == null ? null : new PlanId(planId), domainEvidence, counts));
        }
    }

    /** A usage record of the {@code /v1/usage} family. */
    record UsageRecordRequest(String taskId, String agentId, String consumerId, long tokensIn, long tokensOut,
                              long durationMs, long apiCalls, Instant timestamp) {
        static UsageRecordRequest read(JsonFields f) {
            UsageRecordRequest record = new UsageRecordRequest(f.string("task_id", true), f.string("agent_id", true),
                    f.string("consumer_id", true), f.integer("tokens_in", true), f.integer("tokens_out", true),
                    f.integer("duration_ms", true), f.integer("api_calls", true), f.timestamp("timestamp", true));
            f.rejectUnknown();
            return record;
        }

        /** The record; {@code timestamp} may lie at most {@link PlausibleTime#MAX_AHEAD} after {@code now}. */
        UsageRecord toRecord(Instant now) {
            validated(() -> PlausibleTime.requireEventTime("timestamp", timestamp, now));
            return validated(() -> new UsageRecord(new TaskId(taskId), new AgentId(agentId), new ConsumerId(consumerId),
                    tokensIn, tokensOut, durationMs, apiCalls, timestamp).requireReportable());
        }
    }

    /** {@code POST /v1/charges/{id}/resolve}. */
    record ResolveRequest(String decision, String note) {
        static ResolveRequest read(JsonNode body, int maxStringLength) {
            JsonFields f = JsonFields.strict(body, "", maxStringLength);
            ResolveRequest request = new ResolveRequest(f.string("decision", true), f.string("note", false));
            f.rejectUnknown();
            return request;
        }
    }

    /**
     * The one member {@code field} of a body that has nothing else ({@code note}, {@code reason}, {@code day},
     * {@code subscription_ref}); a route whose member is optional also accepts no body at all.
     */
    static String soleString(JsonNode body, int maxStringLength, String field, boolean required) {
        if (body == null && !required) {
            return null;
        }
        JsonFields f = JsonFields.strict(body, "", maxStringLength);
        String value = f.string(field, required);
        f.rejectUnknown();
        return value;
    }

    /** Routes that take no body accept none, or an empty object. */
    static void empty(JsonNode body, int maxStringLength) {
        if (body != null) {
            JsonFields.strict(body, "", maxStringLength).rejectUnknown();
        }
    }

    /** {@code POST /v1/contracts}: a version id and its settings; omitted settings take the defaults. */
    record ContractVersionRequest(String version, List<String> requiredOutputKeys, Boolean requireApproval,
                                  Boolean requireIntentResolution, Double intentResolutionThreshold,
                                  Boolean holdAmbiguousForReview) {
        static final int MAX_REQUIRED_OUTPUT_KEYS = 100;

        static ContractVersionRequest read(JsonNode body, int maxStringLength) {
            JsonFields f = JsonFields.strict(body, "", maxStringLength);
            String version = f.string("version", true);
            List<JsonNode> keyNodes = f.array("required_output_keys", false);
            List<String> keys = null;
            if (keyNodes != null) {
                if (keyNodes.size() > MAX_REQUIRED_OUTPUT_KEYS) {
                    throw ApiException.unprocessable("required_output_keys",
                            "must hold at most " + MAX_REQUIRED_OUTPUT_KEYS + " keys");
                }
                keys = new ArrayList<>(keyNodes.size());
                for (int i = 0; i < keyNodes.size(); i++) {
                    String field = "required_output_keys[" + i + "]";
                    if (!keyNodes.get(i).isTextual()) {
                        throw ApiException.badRequest(field, "must be a string");
                    }
                    String key = keyNodes.get(i).textValue();
                    keys.add(validated(() -> Require.id(field, key)));
                }
            }
            ContractVersionRequest request = new ContractVersionRequest(version, keys, f.bool("require_approval", false),
                    f.bool("require_intent_resolution", false), f.number("intent_resolution_threshold", false),
                    f.bool("hold_ambiguous_for_review", false));
            f.rejectUnknown();
            return request;
        }

        ContractConfig toSettings() {
            validated(() -> Require.id("version", version));
            ContractConfig defaults = ContractConfig.defaults();
            return validated(() -> new ContractConfig(version,
                    requiredOutputKeys == null ? defaults.requiredOutputKeys() : requiredOutputKeys,
                    requireApproval == null ? defaults.requireApproval() : requireApproval,
                    requireIntentResolution == null ? defaults.requireIntentResolution() : requireIntentResolution,
                    intentResolutionThreshold == null ? defaults.intentResolutionThreshold() : intentResolutionThreshold,
                    holdAmbiguousForReview == null ? defaults.holdAmbiguousForReview() : holdAmbiguousForReview));
        }
    }

    /** {@code POST /v1/contracts/{version}/activate}: from when, and for one subscription or (without) globally. */
    record ActivationRequest(Instant effectiveFrom, String subscriptionRef) {
        static ActivationRequest read(JsonNode body, int maxStringLength) {
            JsonFields f = JsonFields.strict(body, "", maxStringLength);
            ActivationRequest request = new ActivationRequest(f.timestamp("effective_from", true),
                    f.string("subscription_ref", false));
            f.rejectUnknown();
            return request;
        }
    }

    /** {@code POST /v1/replays}: which version ({@code as_recorded}: each decision's own), the window, one page. */
    record ReplayRequest(String contractVersion, Instant from, Instant to, String subscriptionRef, Long limit,
                         String cursor) {
        static ReplayRequest read(JsonNode body, int maxStringLength) {
            JsonFields f = JsonFields.strict(body, "", maxStringLength);
            String version = f.string("contract_version", true);
            validated(() -> Require.id("contract_version", version));
            Instant from = f.timestamp("from", true);
            Instant to = f.timestamp("to", true);
            if (!from.isBefore(to)) {
                throw ApiException.unprocessable("from", "must be before to");
            }
            String subscription = f.string("subscription_ref", false);
            if (subscription != null) {
                validated(() -> new SubscriptionRef(subscription));
            }
            Long limit = f.integer("limit", false);
            ReplayRequest request = new ReplayRequest(version, from, to, subscription, limit,
                    f.string("cursor", false));
            f.rejectUnknown();
            return request;
        }
    }
}
