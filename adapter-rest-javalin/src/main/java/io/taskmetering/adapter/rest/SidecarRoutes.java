package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.model.StoredDecision;
import io.taskmetering.application.port.in.EvaluationResult;
import io.taskmetering.application.port.in.EvidenceBundle;
import io.taskmetering.application.port.in.OutcomeReport;
import io.taskmetering.application.port.in.OutcomeResult;
import io.taskmetering.application.port.in.RecordOutcomeCommand;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.Decision;
import io.taskmetering.domain.evaluation.Evidence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Python sidecar's routes with the same JSON shapes and error bodies ({@code {"error": "..."}}), minus its
 * defects: a caller's {@code correlation_id} is honoured by every route and is the id the audit record is stored
 * under; a null where an object or a list belongs ({@code evidence}, {@code outputs}, {@code traces} and its
 * entries, {@code scores}), a non-object body and a non-numeric score are clean 400s naming the field; trace
 * entries are JSON objects of any members, as the original accepts, and are kept as evidence as sent;
 * everything is stored durably; a completion for an hour already submitted is billed in the oldest open hour.
 * Unknown fields are ignored, as the original did. Auth and subscription scoping are the native API's.
 */
final class SidecarRoutes {
    /** Agent id recorded for {@code /record_task_completed}, whose callers send none. */
    static final String SIDECAR_AGENT = "sidecar";

    private final UseCases useCases;
    private final MeteringMetrics metrics;

    SidecarRoutes(UseCases useCases, MeteringMetrics metrics) {
        this.useCases = useCases;
        this.metrics = metrics;
    }

    List<Route> routes() {
        return List.of(
                Route.post("/evaluate", Access.REPORT, this::evaluate).asSidecar(),
                Route.post("/evaluate_intent_handling", Access.REPORT, this::evaluateIntent).asSidecar(),
                Route.post("/evaluate_task_adherence", Access.REPORT, this::evaluateAdherence).asSidecar(),
                Route.post("/record_task_completed", Access.REPORT, this::recordTaskCompleted).asSidecar(),
                Route.post("/evaluate_and_meter_task", Access.REPORT, this::evaluateAndMeter).asSidecar(),
                Route.get("/audit/{correlation_id}", Access.READ, this::audit).asSidecar());
    }

    /** The body of a sidecar POST: a JSON object, with the required fields present, read leniently. */
    private static JsonFields body(Exchange ex, String... required) {
        JsonNode body;
        try {
            body = ex.body();
        } catch (ApiException e) {
            if (e.status() == 400) {
                throw sidecarError("Invalid JSON");
            }
            throw e;
        }
        if (body == null || !body.isObject()) {
            throw sidecarError("Invalid JSON");
        }
        JsonFields fields = JsonFields.lenient(body, "", ex.maxString());
        List<String> missing = new ArrayList<>();
        for (String name : required) {
            if (!fields.present(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new ApiException(400, "Bad Request", "Missing fields: " + String.join(", ", missing),
                    missing.stream().map(name -> new Problem.FieldError(name, "is required")).toList());
        }
        return fields;
    }

    private static ApiException sidecarError(String message) {
        return new ApiException(400, "Bad Request", message, List.of(new Problem.FieldError("body", message)));
    }

    /** The report a sidecar request describes; the caller's correlation id, when sent, is the decision's id. */
    private static OutcomeReport report(Exchange ex, JsonFields f, String agentFallback) {
        String taskId = f.string("task_id", false);
        String agentId = f.string("agent_id", false);
        String subscriptionRef = f.string("subscription_ref", false);
        String correlationId = f.string("correlation_id", false);
        ex.caller().requireScope("subscription_ref", subscriptionRef);
        Evidence evidence = evidence(f);
        try {
            return new OutcomeReport(new TaskId(taskId), new AgentId(agentId == null ? agentFallback : agentId),
                    new SubscriptionRef(subscriptionRef), correlationId == null ? null : new CorrelationId(correlationId),
                    null, null, null, null, null, evidence, null);
        } catch (InvalidValueException e) {
            throw ApiException.badRequest(e.field(), e.reason());
        }
    }

    /**
     * Evidence read as the original did (unknown keys ignored, trace entries of any shape), but refusing bad types
     * and a null where an object or a list belongs cleanly: the original read {@code "evidence": null} as a failed
     * task, which hid the client's defect behind a non-billable answer.
     */
    private static Evidence evidence(JsonFields f) {
        if (f.isNull("evidence")) {
            throw ApiException.badRequest("evidence", "must be a JSON object, not null");
        }
        Map<String, Object> json = f.plainObject("evidence");
        if (json == null) {
            return null;
        }
        try {
            return Evidence.fromJsonLike(json);
        } catch (InvalidValueException e) {
            String field = e.field().startsWith("evidence.") ? e.field() : "evidence." + e.field();
            throw ApiException.badRequest(field, e.reason());
        }
    }

    private EvaluationResult.Evaluated evaluated(Exchange ex) {
        JsonFields f = body(ex, "task_id", "agent_id", "subscription_ref");
        EvaluationResult.Evaluated result = OutcomeRoutes.evaluate(useCases, report(ex, f, null));
        metrics.recordEvaluation(result.replayed());
        return result;
    }

    record EvaluateBody(boolean intentHandled, boolean adhered, int billableUnits, List<String> reasonCodes,
                        String correlationId) {
    }

    record IntentBody(String correlationId, boolean intentHandled, String reason) {
    }

    record AdherenceBody(String correlationId, boolean adhered, List<String> reasonCodes) {
    }

    record RecordedBody(String correlationId, boolean recorded) {
    }

    record MeterBody(boolean intentHandled, boolean adhered, int billableUnits, List<String> reasonCodes,
                     String correlationId, boolean recorded) {
    }

    record AuditBody(String correlationId, String taskId, String agentId, String subscriptionRef,
                     Responses.EvidenceBody evidence, boolean intentHandled, boolean adhered, int billableUnits,
                     List<String> reasonCodes, String timestamp, Map<String, Object> metadata) {
    }

    private void evaluate(Exchange ex) {
        EvaluationResult.Evaluated result = evaluated(ex);
        Decision d = result.decision();
        ex.respond(200, new EvaluateBody(d.intentHandled(), d.adhered(), d.billableUnits(), d.reasonCodes(),
                result.correlationId().value()));
    }

    private void evaluateIntent(Exchange ex) {
        EvaluationResult.Evaluated result = evaluated(ex);
        ex.respond(200, new IntentBody(result.correlationId().value(), result.decision().intentHandled(),
                result.decision().reasonCodes().get(0)));
    }

    private void evaluateAdherence(Exchange ex) {
        EvaluationResult.Evaluated result = evaluated(ex);
        List<String> codes = result.decision().reasonCodes();
        ex.respond(200, new AdherenceBody(result.correlationId().value(), result.decision().adhered(),
                codes.subList(1, codes.size())));
    }

    private OutcomeResult.Decided recorded(OutcomeReport report) {
        OutcomeResult.Decided result = OutcomeRoutes.decided(useCases.recordOutcome().record(new RecordOutcomeCommand(report)));
        metrics.recordOutcome(result);
        return result;
    }

    /** Recorded means charged (QUALIFIED): false for a duplicate, a hold or a failed gate. */
    private static boolean recorded(OutcomeResult.Decided result) {
        return result.recording() instanceof OutcomeRecord.Charged;
    }

    /**
     * The caller asserts the task completed; there is no evidence to evaluate. It is recorded as an outcome whose
     * evidence says exactly that ({@code outputs: {terminal_success: true, source: "record_task_completed"}}), so the
     * audit record shows the success was asserted, not observed. Agent id: the one sent, else {@code sidecar}.
     */
    private void recordTaskCompleted(Exchange ex) {
        JsonFields f = body(ex, "task_id", "subscription_ref");
        OutcomeReport asSent = report(ex, f, SIDECAR_AGENT);
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("terminal_success", true);
        outputs.put("source", "record_task_completed");
        OutcomeReport report = new OutcomeReport(asSent.taskId(), asSent.agentId(), asSent.subscription(),
                asSent.correlationId(), null, null, null, null, null, new Evidence(outputs, null, null, null, null), null);
        OutcomeResult.Decided result = recorded(report);
        ex.respond(200, new RecordedBody(result.correlationId().value(), recorded(result)));
    }

    private void evaluateAndMeter(Exchange ex) {
        JsonFields f = body(ex, "task_id", "agent_id", "subscription_ref");
        OutcomeResult.Decided result = recorded(report(ex, f, null));
        Decision d = result.decision();
        ex.respond(200, new MeterBody(d.intentHandled(), d.adhered(), d.billableUnits(), d.reasonCodes(),
                result.correlationId().value(), recorded(result)));
    }

    private void audit(Exchange ex) {
        String raw = ex.ctx().pathParam("correlation_id");
        CorrelationId id;
        try {
            id = new CorrelationId(raw);
        } catch (InvalidValueException e) {
            throw ApiException.notFound("Audit record not found");
        }
        EvidenceBundle bundle = OutcomeRoutes.visibleBundle(useCases, ex.caller(), id)
                .orElseThrow(() -> ApiException.notFound("Audit record not found"));
        StoredDecision d = bundle.decision();
        Decision decision = d.decision();
        Responses.EvidenceBody evidence = Responses.EvidenceBody.of(d.evidence());
        Map<String, Object> metadata = new LinkedHashMap<>(d.metadata());
        metadata.put("kind", d.kind().name().toLowerCase(java.util.Locale.ROOT));
        metadata.put("occurred_at", Timestamps.format(d.occurredAt()));
        metadata.put("contract_version", decision.contractVersion());
        metadata.put("evidence_sha256", decision.evidenceSha256());
        if (bundle.outcome() != null) {
            Responses.RecordingBody recording = Responses.RecordingBody.of(bundle.outcome());
            metadata.put("charge_state", recording.chargeState());
            metadata.put("duplicate", recording.duplicate());
        }
        ex.respond(200, new AuditBody(d.correlationId().value(), d.taskId().value(), d.agentId().value(),
                d.subscription().value(), evidence, decision.intentHandled(), decision.adhered(),
                decision.billableUnits(), decision.reasonCodes(), Timestamps.format(d.receivedAt()), metadata));
    }
}
