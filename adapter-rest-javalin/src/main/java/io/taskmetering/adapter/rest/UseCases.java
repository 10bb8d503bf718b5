package io.taskmetering.adapter.rest;

import io.taskmetering.application.port.in.ActivateContractUseCase;
import io.taskmetering.application.port.in.ChargeQueries;
import io.taskmetering.application.port.in.ContractQueries;
import io.taskmetering.application.port.in.IngestTracesUseCase;
import io.taskmetering.application.port.in.InsightQueries;
import io.taskmetering.application.port.in.ReconcileUseCase;
import io.taskmetering.application.port.in.ReconciliationQueries;
import io.taskmetering.application.port.in.ReplayQueries;
import io.taskmetering.application.port.in.ShadowQueries;
import io.taskmetering.application.port.in.StartShadowUseCase;
import io.taskmetering.application.port.in.StopShadowUseCase;
import io.taskmetering.application.port.in.CreateContractVersionUseCase;
import io.taskmetering.application.port.in.CloseHoursUseCase;
import io.taskmetering.application.port.in.DisputeChargeUseCase;
import io.taskmetering.application.port.in.EvaluateOutcomeUseCase;
import io.taskmetering.application.port.in.PurgeExpiredUseCase;
import io.taskmetering.application.port.in.RecordOutcomeBatchUseCase;
import io.taskmetering.application.port.in.RecordOutcomeUseCase;
import io.taskmetering.application.port.in.RecordUsageUseCase;
import io.taskmetering.application.port.in.ResolveDisputeUseCase;
import io.taskmetering.application.port.in.ReviewChargeUseCase;
import io.taskmetering.application.port.in.SubmitUsageEventsUseCase;
import io.taskmetering.application.port.in.UsageEventQueries;
import io.taskmetering.application.port.in.UsageQueries;

import java.util.Objects;

/** Every use case and query the HTTP API reaches, handed over by the wiring. None may be null. */
public record UseCases(
        RecordOutcomeUseCase recordOutcome,
        RecordOutcomeBatchUseCase recordOutcomeBatch,
        EvaluateOutcomeUseCase evaluateOutcome,
        ReviewChargeUseCase reviewCharge,
        DisputeChargeUseCase disputeCharge,
        ResolveDisputeUseCase resolveDispute,
        CloseHoursUseCase closeHours,
        SubmitUsageEventsUseCase submitUsageEvents,
        RecordUsageUseCase recordUsage,
        PurgeExpiredUseCase purgeExpired,
        ChargeQueries charges,
        UsageQueries usage,
        UsageEventQueries usageEvents,
        CreateContractVersionUseCase createContractVersion,
        ActivateContractUseCase activateContract,
        ContractQueries contracts,
        StartShadowUseCase startShadow,
        StopShadowUseCase stopShadow,
        ShadowQueries shadows,
        ReplayQueries replays,
        InsightQueries insights,
        ReconcileUseCase reconcile,
        ReconciliationQueries reconciliations,
        IngestTracesUseCase ingestTraces) {

    public UseCases {
        // Fail at wiring time, not on the first request that needs the missing one.
        Objects.requireNonNull(recordOutcome, "recordOutcome");
        Objects.requireNonNull(recordOutcomeBatch, "recordOutcomeBatch");
        Objects.requireNonNull(evaluateOutcome, "evaluateOutcome");
        Objects.requireNonNull(reviewCharge, "reviewCharge");
        Objects.requireNonNull(disputeCharge, "disputeCharge");
        Objects.requireNonNull(resolveDispute, "resolveDispute");
        Objects.requireNonNull(closeHours, "closeHours");
        Objects.requireNonNull(submitUsageEvents, "submitUsageEvents");
        Objects.requireNonNull(recordUsage, "recordUsage");
        Objects.requireNonNull(purgeExpired, "purgeExpired");
        Objects.requireNonNull(charges, "charges");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(usageEvents, "usageEvents");
        Objects.requireNonNull(createContractVersion, "createContractVersion");
        Objects.requireNonNull(activateContract, "activateContract");
        Objects.requireNonNull(contracts, "contracts");
        Objects.requireNonNull(startShadow, "startShadow");
        Objects.requireNonNull(stopShadow, "stopShadow");
        Objects.requireNonNull(shadows, "shadows");
        Objects.requireNonNull(replays, "replays");
        Objects.requireNonNull(insights, "insights");
        Objects.requireNonNull(reconcile, "reconcile");
        Objects.requireNonNull(reconciliations, "reconciliations");
        Objects.requireNonNull(ingestTraces, "ingestTraces");
    }
}
