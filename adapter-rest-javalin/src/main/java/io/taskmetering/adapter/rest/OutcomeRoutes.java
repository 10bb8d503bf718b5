package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.port.in.EvaluateOutcomeCommand;
import io.taskmetering.application.port.in.EvaluationResult;
import io.taskmetering.application.port.in.EvidenceBundle;
import io.taskmetering.application.port.in.OutcomeResult.InvalidReport;
import io.taskmetering.application.port.in.OutcomeReport;
import io.taskmetering.application.port.in.OutcomeResult;
import io.taskmetering.application.port.in.RecordOutcomeBatchCommand;
import io.taskmetering.application.port.in.RecordOutcomeCommand;
import io.taskmetering.domain.common.CorrelationId;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code POST /v1/outcomes}, {@code POST /v1/outcomes/batch}, {@code POST /v1/evaluations}, {@code GET /v1/audit/{id}}. */
final class OutcomeRoutes {
    static final String CORRELATION_ID_IN_USE = "is already used by another outcome; send a new correlation_id";

    private final UseCases useCases;
    private final MeteringMetrics metrics;

    OutcomeRoutes(UseCases useCases, MeteringMetrics metrics) {
        this.useCases = useCases;
        this.metrics = metrics;
    }

    List<Route> routes() {
        return List.of(
                Route.post("/v1/outcomes", Access.REPORT, this::record),
                Route.post("/v1/outcomes/batch", Access.REPORT, this::recordBatch),
                Route.post("/v1/evaluations", Access.REPORT, this::evaluate),
                Route.get("/v1/audit/{correlation_id}", Access.READ, this::audit));
    }

    private void record(Exchange ex) {
        ex.noQuery();
        JsonNode body = ex.body();
        Requests.OutcomeRequest request = Requests.OutcomeRequest.read(JsonFields.strict(body, "", ex.maxString()), true,
                ex.maxString());
        ex.caller().requireScope("subscription_ref", request.subscriptionRef());
        OutcomeReport report = request.toReport();
        OutcomeResult.Decided result = decided(useCases.recordOutcome().record(new RecordOutcomeCommand(report)));
        metrics.recordOutcome(result);
        ex.respond(status(result), Responses.OutcomeBody.of(result));
    }

    /**
     * The decided outcome, or the refusal the result stands for: an invalid report (422) or a correlation id that
     * belongs to another task or subscription (409; the stored result is never shown).
     */
    static OutcomeResult.Decided decided(OutcomeResult result) {
        if (result instanceof OutcomeResult.Decided decided) {
            return decided;
        }
        throw refusal(result);
    }

    /** An invalid report is 422; a correlation id of another task or subscription 409. */
    private static ApiException refusal(Object result) {
        return result instanceof InvalidReport invalid
                ? ApiException.unprocessable(invalid.field(), invalid.message())
                : ApiException.conflict("correlation_id", CORRELATION_ID_IN_USE);
    }

    /** 201 for an outcome recorded now, 200 for a replay or a duplicate (nothing new was charged). */
    private static int status(OutcomeResult.Decided result) {
        return result.replayed() || result.recording() instanceof OutcomeRecord.Duplicate ? 200 : 201;
    }

    private void recordBatch(Exchange ex) {
        ex.noQuery();
        JsonFields envelope = JsonFields.strict(ex.body(), "", ex.maxString());
        List<JsonNode> items = envelope.array("outcomes", true);
        envelope.rejectUnknown();
        if (items.isEmpty()) {
            throw ApiException.unprocessable("outcomes", "must hold at least one outcome");
        }
        if (items.size() > ex.config().maxBatchSize()) {
            throw ApiException.unprocessable("outcomes", "must hold at most " + ex.config().maxBatchSize() + " outcomes");
        }
        Responses.BatchItemBody[] results = new Responses.BatchItemBody[items.size()];
        List<RecordOutcomeCommand> commands = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            int index = i;
            try {
                OutcomeReport report = Requests.within("outcomes[" + i + "]", () -> {
                    Requests.OutcomeRequest request = Requests.OutcomeRequest.read(
                            JsonFields.strict(items.get(index), "", ex.maxString()), true, ex.maxString());
                    ex.caller().requireScope("subscription_ref", request.subscriptionRef());
                    return request.toReport();
                });
                positions.add(i);
                commands.add(new RecordOutcomeCommand(report));
            } catch (ApiException e) {
                metrics.recordRejectedOutcome();
                results[i] = failure(i, e);
            }
        }
        if (!commands.isEmpty()) {
            List<OutcomeResult> recorded = useCases.recordOutcomeBatch().recordBatch(new RecordOutcomeBatchCommand(commands));
            for (int i = 0; i < recorded.size(); i++) {
                int index = positions.get(i);
                OutcomeResult item = recorded.get(i);
                if (item instanceof InvalidReport) {
                    metrics.recordRejectedOutcome();
                }
                try {
                    OutcomeResult.Decided r = decided(item);
                    metrics.recordOutcome(r);
                    results[index] = new Responses.BatchItemBody(index, status(r), Responses.OutcomeBody.of(r), null);
                } catch (ApiException e) {
                    results[index] = failure(index, Requests.prefixed("outcomes[" + index + "]", e));
                }
            }
        }
        ex.respond(200, new Responses.BatchBody<>(List.of(results)));
    }

    private static Responses.BatchItemBody failure(int index, ApiException e) {
        return new Responses.BatchItemBody(index, e.status(), null,
                Problem.of(e.status(), e.title(), e.detail(), e.errors()));
    }

    private void evaluate(Exchange ex) {
        ex.noQuery();
        Requests.OutcomeRequest request = Requests.OutcomeRequest.read(JsonFields.strict(ex.body(), "", ex.maxString()),
                false, ex.maxString());
        ex.caller().requireScope("subscription_ref", request.subscriptionRef());
        OutcomeReport report = request.toReport();
        EvaluationResult.Evaluated result = evaluate(useCases, report);
        metrics.recordEvaluation(result.replayed());
        ex.respond(result.replayed() ? 200 : 201,
                Responses.EvaluationBody.of(result, report.taskId().value(), report.subscription().value()));
    }

    /** Evaluates; an invalid report is 422, a correlation id of another task or subscription 409. */
    static EvaluationResult.Evaluated evaluate(UseCases useCases, OutcomeReport report) {
        EvaluationResult result = useCases.evaluateOutcome().evaluate(new EvaluateOutcomeCommand(report));
        if (result instanceof EvaluationResult.Evaluated evaluated) {
            return evaluated;
        }
        throw refusal(result);
    }

    private void audit(Exchange ex) {
        ex.noQuery();
        CorrelationId id = Requests.validated(() -> new CorrelationId(ex.pathParam("correlation_id")));
        EvidenceBundle bundle = visibleBundle(useCases, ex.caller(), id)
                .orElseThrow(() -> ApiException.notFound("no decision with correlation_id " + id.value()));
        ex.respond(200, Responses.EvidenceBundleBody.of(bundle));
    }

    /**
     * The bundle of {@code id}, empty when unknown. A bundle of a subscription outside the caller's scope is refused
     * with 403, as the API contract says for every route family; the body names no subscription.
     */
    static Optional<EvidenceBundle> visibleBundle(UseCases useCases, Caller caller, CorrelationId id) {
        Optional<EvidenceBundle> bundle = useCases.charges().evidenceBundle(id);
        if (bundle.isPresent() && !caller.mayTouch(bundle.get().decision().subscription())) {
            throw ApiException.forbidden("correlation_id", "belongs to a subscription outside this key's scope");
        }
        return bundle;
    }
}
