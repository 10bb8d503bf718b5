package io.taskmetering.adapter.rest;

import io.taskmetering.application.port.in.ReplayQuery;
import io.taskmetering.application.port.in.ReplayResult;

import java.util.List;

/**
 * Replays: re-decide the stored evidence of a window under a contract version, or each decision under its own
 * ({@code as_recorded}), answered at once and read-only. Admins only (a scoped admin over its own subscriptions).
 */
final class ReplayRoutes {
    private final UseCases useCases;

    ReplayRoutes(UseCases useCases) {
        this.useCases = useCases;
    }

    List<Route> routes() {
        return List.of(Route.post("/v1/replays", Access.ADMIN, this::replay));
    }

    private void replay(Exchange ex) {
        ex.noQuery();
        Requests.ReplayRequest body = Requests.ReplayRequest.read(ex.body(), ex.maxString());
        var subscriptions = ex.caller().subscriptionFilter("subscription_ref", body.subscriptionRef());
        long limit = body.limit() == null ? ex.config().defaultPageSize() : body.limit();
        if (limit < 1 || limit > ex.config().maxPageSize()) {
            throw ApiException.unprocessable("limit", "must be between 1 and " + ex.config().maxPageSize());
        }
        ReplayQuery query = Requests.validated(() -> new ReplayQuery(body.contractVersion(), body.from(), body.to(),
                subscriptions, (int) limit, body.cursor()));
        ReplayResult result = Requests.validated(() -> useCases.replays().replay(query));
        if (result instanceof ReplayResult.Replayed replayed) {
            ex.respond(200, Responses.ReplayBody.of(query, body.subscriptionRef(), replayed));
        } else if (result instanceof ReplayResult.UnknownVersion unknown) {
            throw ApiException.notFound("no contract version " + unknown.version());
        } else {
            throw ApiException.unprocessable("from", "the window from " + Timestamps.format(body.from()) + " to "
                    + Timestamps.format(body.to()) + " holds more than "
                    + ((ReplayResult.WindowTooLarge) result).maxDecisions() + " decisions, more than one replay"
                    + " answers; replay shorter windows or one subscription_ref at a time");
        }
    }
}
