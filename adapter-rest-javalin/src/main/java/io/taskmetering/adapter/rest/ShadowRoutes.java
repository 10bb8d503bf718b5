package io.taskmetering.adapter.rest;

import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.ShadowHour;
import io.taskmetering.application.model.ShadowReportQuery;
import io.taskmetering.application.port.in.ShadowCommand;
import io.taskmetering.application.port.in.StartShadowResult;
import io.taskmetering.application.port.in.StopShadowResult;
import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.common.SubscriptionRef;

import java.time.Instant;
import java.util.List;

/**
 * Shadow billing: run a contract version beside the live one(s) and read what it would have billed. Starting and
 * stopping is for admins (a scoped admin for its own subscriptions only, a global run for unscoped admins); the
 * report is for readers and admins, each seeing only its subscriptions.
 */
final class ShadowRoutes {
    private final UseCases useCases;

    ShadowRoutes(UseCases useCases) {
        this.useCases = useCases;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/v1/contracts/{version}/shadow", Access.READ, this::list),
                Route.post("/v1/contracts/{version}/shadow", Access.ADMIN, this::start),
                Route.delete("/v1/contracts/{version}/shadow", Access.ADMIN, this::stop),
                Route.get("/v1/contracts/{version}/shadow-report", Access.READ, this::report));
    }

    private static String version(Exchange ex) {
        String version = ex.pathParam("version");
        return Requests.validated(() -> Require.id("version", version));
    }

    /** A run for every subscription touches subscriptions a scoped key may not: only unscoped admins start or stop it. */
    private static SubscriptionRef scope(Exchange ex, String subscription) {
        if (subscription == null && !ex.caller().unscoped()) {
            throw ApiException.forbidden("subscription_ref",
                    "is required for a key with a subscription scope (a global shadow applies to every subscription)");
        }
        ex.caller().requireScope("subscription_ref", subscription);
        return subscription == null ? null : Requests.validated(() -> new SubscriptionRef(subscription));
    }

    private void list(Exchange ex) {
        ex.noQuery();
        String version = version(ex);
        if (useCases.contracts().version(version).isEmpty()) {
            throw ApiException.notFound("no contract version " + version);
        }
        ex.respond(200, new Responses.ShadowRunListBody(useCases.shadows().shadowRuns().stream()
                .filter(run -> run.version().equals(version))
                .filter(run -> run.scope().subscriptionOrNull() == null || ex.caller().mayTouch(run.scope().subscriptionOrNull()))
                .map(Responses.ShadowRunBody::of)
                .toList()));
    }

    private void start(Exchange ex) {
        ex.noQuery();
        String version = version(ex);
        SubscriptionRef subscription = scope(ex,
                Requests.soleString(ex.body(), ex.maxString(), "subscription_ref", false));
        StartShadowResult result = useCases.startShadow().start(new ShadowCommand(version, subscription));
        if (result instanceof StartShadowResult.Started started) {
            ex.respond(201, Responses.ShadowRunBody.of(started.run()));
        } else if (result instanceof StartShadowResult.AlreadyRunning running) {
            ex.respond(200, Responses.ShadowRunBody.of(running.run()));
        } else {
            throw ApiException.notFound("no contract version " + ((StartShadowResult.UnknownVersion) result).version());
        }
    }

    private void stop(Exchange ex) {
        QueryParams q = ex.query("subscription_ref");
        String version = version(ex);
        SubscriptionRef subscription = scope(ex, q.string("subscription_ref"));
        StopShadowResult result = useCases.stopShadow().stop(new ShadowCommand(version, subscription));
        if (result instanceof StopShadowResult.Stopped stopped) {
            ex.respond(200, Responses.ShadowStoppedBody.of(stopped));
        } else {
            throw ApiException.notFound("contract version " + version + " does not run in shadow "
                    + (subscription == null ? "globally" : "for " + subscription.value()));
        }
    }

    private void report(Exchange ex) {
        QueryParams q = ex.query("subscription_ref", "from", "to", "limit", "cursor");
        String version = version(ex);
        Instant from = q.timestamp("from");
        Instant to = q.timestamp("to");
        var subscriptions = ex.caller().subscriptionFilter("subscription_ref", q.string("subscription_ref"));
        int limit = (int) q.integer("limit", ex.config().defaultPageSize(), 1, ex.config().maxPageSize());
        String cursor = q.string("cursor");
        Page<ShadowHour> page = Requests.validated(() -> useCases.shadows().shadowReport(
                new ShadowReportQuery(version, subscriptions, from, to, limit, cursor)));
        ex.respond(200, new Responses.PageBody<>(page.items().stream().map(Responses.ShadowHourBody::of).toList(),
                page.nextCursor()));
    }
}
