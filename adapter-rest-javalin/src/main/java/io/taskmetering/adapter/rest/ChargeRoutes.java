package io.taskmetering.adapter.rest;

import io.taskmetering.application.model.AnomalyQuery;
import io.taskmetering.application.model.ChargeQuery;
import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.UsageEventQuery;
import io.taskmetering.application.port.in.CloseHoursCommand;
import io.taskmetering.application.port.in.CloseHoursUseCase.CloseHoursResult;
import io.taskmetering.application.port.in.ChargeQueries.CreditsQuery;
import io.taskmetering.application.port.in.DisputeChargeCommand;
import io.taskmetering.application.port.in.NotFoundException;
import io.taskmetering.application.port.in.ResolveDisputeCommand;
import io.taskmetering.application.port.in.ReviewChargeCommand;
import io.taskmetering.application.port.in.SubmitUsageEventsUseCase.SubmissionRunResult;
import io.taskmetering.application.port.in.SubmitUsageEventsCommand;
import io.taskmetering.domain.billing.AnomalyType;
import io.taskmetering.domain.billing.UsageEventStatus;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.common.CorrelationId;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Charges, reviews, disputes, credits, anomalies and usage events (the outbox), including the admin submit. */
final class ChargeRoutes {
    private final UseCases useCases;
    private final MeteringMetrics metrics;

    ChargeRoutes(UseCases useCases, MeteringMetrics metrics) {
        this.useCases = useCases;
        this.metrics = metrics;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/v1/charges", Access.READ, this::listCharges),
                Route.post("/v1/charges/{correlation_id}/dispute", Access.DISPUTE, this::dispute),
                Route.post("/v1/charges/{correlation_id}/resolve", Access.ADMIN, this::resolve),
                Route.get("/v1/reviews", Access.READ, this::listReviews),
                Route.post("/v1/reviews/{correlation_id}/approve", Access.ADMIN, ex -> review(ex, ReviewChargeCommand.Verdict.APPROVE)),
                Route.post("/v1/reviews/{correlation_id}/reject", Access.ADMIN, ex -> review(ex, ReviewChargeCommand.Verdict.REJECT)),
                Route.get("/v1/credits", Access.READ, this::listCredits),
                Route.get("/v1/anomalies", Access.READ, this::listAnomalies),
                Route.get("/v1/usage-events", Access.READ, this::listUsageEvents),
                Route.post("/v1/usage-events/submit", Access.ADMIN_GLOBAL, this::submit));
    }

    private int limit(Exchange ex, QueryParams q) {
        return (int) q.integer("limit", ex.config().defaultPageSize(), 1, ex.config().maxPageSize());
    }

    private static void requireOrdered(Instant from, Instant to) {
        if (from != null && to != null && from.isAfter(to)) {
            throw ApiException.unprocessable("from", "must not be after to");
        }
    }

    private void listCharges(Exchange ex) {
        QueryParams q = ex.query("subscription_ref", "state", "from", "to", "limit", "cursor");
        respondCharges(ex, q, q.string("state") == null ? null : Requests.validated(() -> ChargeState.parse(q.string("state"))));
    }

    private void listReviews(Exchange ex) {
        QueryParams q = ex.query("subscription_ref", "from", "to", "limit", "cursor");
        respondCharges(ex, q, ChargeState.PENDING_REVIEW);
    }

    private void respondCharges(Exchange ex, QueryParams q, ChargeState state) {
        Instant from = q.timestamp("from");
        Instant to = q.timestamp("to");
        requireOrdered(from, to);
        var subscriptions = ex.caller().subscriptionFilter("subscription_ref", q.string("subscription_ref"));
        int limit = limit(ex, q);
        String cursor = q.string("cursor");
        Page<Charge> page = Requests.validated(() -> useCases.charges().listCharges(
                new ChargeQuery(subscriptions, state, from, to, limit, cursor)));
        ex.respond(200, page(page, Responses.ChargeBody::of));
    }

    private static <T, B> Responses.PageBody<B> page(Page<T> page, Function<T, B> map) {
        return new Responses.PageBody<>(page.items().stream().map(map).toList(), page.nextCursor());
    }

    /** Acts on a charge only within the caller's subscriptions: unknown is 404, outside them 403. */
    private CorrelationId chargeInScope(Exchange ex) {
        CorrelationId id = Requests.validated(() -> new CorrelationId(ex.pathParam("correlation_id")));
        boolean visible = OutcomeRoutes.visibleBundle(useCases, ex.caller(), id).isPresent();
        if (!visible) {
            throw new NotFoundException("no charge with correlation_id " + id.value());
        }
        return id;
    }

    private void review(Exchange ex, ReviewChargeCommand.Verdict verdict) {
        ex.noQuery();
        CorrelationId id = chargeInScope(ex);
        String note = Requests.soleString(ex.body(), ex.maxString(), "note", false);
        Charge charge = Requests.validated(() -> useCases.reviewCharge().review(
                new ReviewChargeCommand(id, verdict, ex.caller().name(), note)));
        metrics.recordReview(verdict.name().toLowerCase(Locale.ROOT));
        ex.respond(200, Responses.ChargeBody.of(charge));
    }

    private void dispute(Exchange ex) {
        ex.noQuery();
        CorrelationId id = chargeInScope(ex);
        String reason = Requests.soleString(ex.body(), ex.maxString(), "reason", true);
        Charge charge = Requests.validated(() -> useCases.disputeCharge().dispute(
                new DisputeChargeCommand(id, ex.caller().name(), reason)));
        metrics.recordDispute("opened");
        ex.respond(200, Responses.ChargeBody.of(charge));
    }

    private void resolve(Exchange ex) {
        ex.noQuery();
        CorrelationId id = chargeInScope(ex);
        Requests.ResolveRequest body = Requests.ResolveRequest.read(ex.body(), ex.maxString());
        ResolveDisputeCommand.Resolution resolution = Requests.validated(
                () -> ResolveDisputeCommand.Resolution.parse(body.decision()));
        Charge charge = Requests.validated(() -> useCases.resolveDispute().resolve(
                new ResolveDisputeCommand(id, resolution, ex.caller().name(), body.note())));
        metrics.recordDispute(resolution.wireName());
        ex.respond(200, Responses.ChargeBody.of(charge));
    }

    private void listCredits(Exchange ex) {
        QueryParams q = ex.query("subscription_ref", "limit", "cursor");
        var subscriptions = ex.caller().subscriptionFilter("subscription_ref", q.string("subscription_ref"));
        int limit = limit(ex, q);
        String cursor = q.string("cursor");
        var page = Requests.validated(() -> useCases.charges().listCredits(new CreditsQuery(subscriptions, limit, cursor)));
        ex.respond(200, page(page, Responses.LedgerEntryBody::of));
    }

    private void listAnomalies(Exchange ex) {
        QueryParams q = ex.query("subscription_ref", "type", "from", "to", "limit", "cursor");
        Instant from = q.timestamp("from");
        Instant to = q.timestamp("to");
        requireOrdered(from, to);
        AnomalyType type = q.string("type") == null ? null : Requests.validated(() -> AnomalyType.parse(q.string("type")));
        var subscriptions = ex.caller().subscriptionFilter("subscription_ref", q.string("subscription_ref"));
        int limit = limit(ex, q);
        String cursor = q.string("cursor");
        var page = Requests.validated(() -> useCases.charges().listAnomalies(
                new AnomalyQuery(subscriptions, type, from, to, limit, cursor)));
        ex.respond(200, page(page, Responses.AnomalyBody::of));
    }

    private void listUsageEvents(Exchange ex) {
        QueryParams q = ex.query("subscription_ref", "status", "from", "to", "limit", "cursor");
        Instant from = q.timestamp("from");
        Instant to = q.timestamp("to");
        requireOrdered(from, to);
        UsageEventStatus status = q.string("status") == null ? null : parseStatus(q.string("status"));
        var subscriptions = ex.caller().subscriptionFilter("subscription_ref", q.string("subscription_ref"));
        int limit = limit(ex, q);
        String cursor = q.string("cursor");
        var page = Requests.validated(() -> useCases.usageEvents().listUsageEvents(
                new UsageEventQuery(subscriptions, status, from, to, limit, cursor)));
        ex.respond(200, page(page, Responses.UsageEventBody::of));
    }

    private static UsageEventStatus parseStatus(String value) {
        for (UsageEventStatus status : UsageEventStatus.values()) {
            if (status.name().equalsIgnoreCase(value)) {
                return status;
            }
        }
        throw ApiException.unprocessable("status", "must be one of " + List.of(UsageEventStatus.values()));
    }

    /** Closes every hour that is due, then submits what is due now; both steps are idempotent. */
    private void submit(Exchange ex) {
        ex.noQuery();
        Requests.empty(ex.body(), ex.maxString());
        CloseHoursResult closed = useCases.closeHours().closeDueHours(CloseHoursCommand.defaults());
        SubmissionRunResult run = useCases.submitUsageEvents().submitDue(SubmitUsageEventsCommand.defaults());
        metrics.recordSubmissions(run);
        ex.respond(200, Responses.SubmitBody.of(closed, run));
    }
}
