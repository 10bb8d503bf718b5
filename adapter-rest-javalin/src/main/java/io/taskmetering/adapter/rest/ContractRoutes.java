package io.taskmetering.adapter.rest;

import io.taskmetering.application.port.in.ActivateContractCommand;
import io.taskmetering.application.port.in.ActivateContractResult;
import io.taskmetering.application.port.in.ContractQueries.VersionInSchedule;
import io.taskmetering.application.port.in.CreateContractVersionCommand;
import io.taskmetering.application.port.in.CreateContractVersionResult;
import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.contract.ContractPeriod;
import io.taskmetering.domain.evaluation.ContractConfig;

import java.util.List;
import java.util.function.Predicate;

/**
 * Contract versions and their activation. Every key may read the versions (they say what a billable outcome is);
 * a key with a subscription scope sees the global periods and those of its own subscriptions only. Creating a
 * version is for unscoped admins (the versions are shared by every subscription); activating is for admins, a
 * scoped admin activating for its own subscriptions only.
 */
final class ContractRoutes {
    private final UseCases useCases;

    ContractRoutes(UseCases useCases) {
        this.useCases = useCases;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/v1/contracts", Access.ANY_KEY, this::list),
                Route.post("/v1/contracts", Access.ADMIN_GLOBAL, this::create),
                Route.get("/v1/contracts/{version}", Access.ANY_KEY, this::show),
                Route.post("/v1/contracts/{version}/activate", Access.ADMIN, this::activate));
    }

    private void list(Exchange ex) {
        ex.noQuery();
        Predicate<ContractPeriod> visible = visibleTo(ex.caller());
        ex.respond(200, new Responses.ContractListBody(useCases.contracts().versions().stream()
                .map(v -> Responses.ContractVersionBody.of(v, visible)).toList()));
    }

    private void show(Exchange ex) {
        ex.noQuery();
        String version = version(ex);
        ex.respond(200, Responses.ContractVersionBody.of(find(version), visibleTo(ex.caller())));
    }

    private void create(Exchange ex) {
        ex.noQuery();
        ContractConfig settings = Requests.ContractVersionRequest.read(ex.body(), ex.maxString()).toSettings();
        CreateContractVersionResult result = useCases.createContractVersion().create(
                new CreateContractVersionCommand(settings));
        int status;
        if (result instanceof CreateContractVersionResult.Created) {
            status = 201;
        } else if (result instanceof CreateContractVersionResult.AlreadyExists) {
            status = 200;
        } else {
            throw ApiException.conflict("version", "'" + settings.version()
                    + "' exists with other settings; a version never changes, create a new version id");
        }
        ex.respond(status, Responses.ContractVersionBody.of(find(settings.version()), visibleTo(ex.caller())));
    }

    private void activate(Exchange ex) {
        ex.noQuery();
        String version = version(ex);
        Requests.ActivationRequest body = Requests.ActivationRequest.read(ex.body(), ex.maxString());
        if (body.subscriptionRef() == null && !ex.caller().unscoped()) {
            throw ApiException.forbidden("subscription_ref",
                    "is required for a key with a subscription scope (a global activation applies to every subscription)");
        }
        ex.caller().requireScope("subscription_ref", body.subscriptionRef());
        ActivateContractCommand command = Requests.validated(() -> new ActivateContractCommand(version,
                body.effectiveFrom(), body.subscriptionRef() == null ? null : new SubscriptionRef(body.subscriptionRef())));
        ActivateContractResult result = useCases.activateContract().activate(command);
        if (result instanceof ActivateContractResult.Activated activated) {
            ex.respond(201, Responses.ActivationBody.of(activated.activation()));
        } else if (result instanceof ActivateContractResult.AlreadyActivated already) {
            ex.respond(200, Responses.ActivationBody.of(already.activation()));
        } else if (result instanceof ActivateContractResult.UnknownVersion unknown) {
            throw ApiException.notFound("no contract version " + unknown.version());
        } else if (result instanceof ActivateContractResult.IntoClosedHour closed) {
            throw ApiException.conflict("effective_from", "lies before the end of the hour " + closed.lastClosedHour()
                    + ", already closed for this scope; an activation never changes a closed hour, the earliest accepted is "
                    + Timestamps.format(closed.earliestEffectiveFrom()));
        } else {
            ActivateContractResult.PlaceTaken taken = (ActivateContractResult.PlaceTaken) result;
            throw ApiException.conflict("effective_from", "version " + taken.existing().activation().version()
                    + " is already activated for this scope at this instant");
        }
    }

    private static String version(Exchange ex) {
        String version = ex.pathParam("version");
        return Requests.validated(() -> Require.id("version", version));
    }

    private VersionInSchedule find(String version) {
        return useCases.contracts().version(version)
                .orElseThrow(() -> ApiException.notFound("no contract version " + version));
    }

    /** A scoped key sees the global periods and its own subscriptions' periods, never another subscription's. */
    private static Predicate<ContractPeriod> visibleTo(Caller caller) {
        return period -> {
            SubscriptionRef subscription = period.scope().subscriptionOrNull();
            return subscription == null || caller.mayTouch(subscription);
        };
    }
}
