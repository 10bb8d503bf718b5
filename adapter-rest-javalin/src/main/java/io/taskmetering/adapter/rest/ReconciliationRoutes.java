package io.taskmetering.adapter.rest;

import io.taskmetering.application.model.Reconciliation;
import io.taskmetering.application.port.in.ReconcileCommand;
import io.taskmetering.application.port.in.ReconcileResult;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Reconciliation of a UTC day with the Marketplace: run it, and read the day's latest run. A run compares every
 * subscription at once, so both routes are for admin keys without subscription scope.
 */
final class ReconciliationRoutes {
    private final UseCases useCases;

    ReconciliationRoutes(UseCases useCases) {
        this.useCases = useCases;
    }

    List<Route> routes() {
        return List.of(
                Route.post("/v1/reconciliations", Access.ADMIN_GLOBAL, this::reconcile),
                Route.get("/v1/reconciliations", Access.ADMIN_GLOBAL, this::latest));
    }

    /** A calendar day, {@code YYYY-MM-DD}. */
    static LocalDate day(String value) {
        if (value == null) {
            throw ApiException.unprocessable("day", "is required");
        }
        try {
            if (value.length() != 10) {
                throw new DateTimeParseException("not YYYY-MM-DD", value, 0);
            }
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.unprocessable("day", "must be a date YYYY-MM-DD");
        }
    }

    private void reconcile(Exchange ex) {
        ex.noQuery();
        LocalDate day = day(Requests.soleString(ex.body(), ex.maxString(), "day", true));
        ReconcileResult result = useCases.reconcile().reconcile(new ReconcileCommand(day));
        if (result instanceof ReconcileResult.Reconciled reconciled) {
            ex.respond(201, Responses.ReconciliationBody.of(reconciled.reconciliation()));
        } else if (result instanceof ReconcileResult.NothingToCompare) {
            ex.respond(200, new Responses.NothingToCompareBody(day.toString(), "nothing_to_compare",
                    ReconcileResult.NothingToCompare.MESSAGE));
        } else if (result instanceof ReconcileResult.DayOutOfRange range) {
            throw ApiException.unprocessable("day",
                    "must be between " + range.earliest() + " and " + range.latest() + " (today, UTC)");
        } else {
            throw new ApiException(502, "Bad Gateway", "the Marketplace could not be asked for " + day + ": "
                    + ((ReconcileResult.MarketplaceUnavailable) result).reason() + "; nothing was stored, try again later",
                    List.of());
        }
    }

    private void latest(Exchange ex) {
        QueryParams q = ex.query("day");
        LocalDate day = day(q.string("day"));
        Reconciliation run = useCases.reconciliations().latestReconciliation(day)
                .orElseThrow(() -> ApiException.notFound("no reconciliation of " + day
                        + " was run (POST /v1/reconciliations runs one; in dry-run there is nothing to compare)"));
        ex.respond(200, Responses.ReconciliationBody.of(run));
    }
}
