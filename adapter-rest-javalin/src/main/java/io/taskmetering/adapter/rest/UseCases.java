package io.taskmetering.adapter.rest;

import io.taskmetering.application.port.in.AggregateUsageUseCase;
import io.taskmetering.application.port.in.BacklogUseCase;
import io.taskmetering.application.port.in.CloseHoursUseCase;
import io.taskmetering.application.port.in.DisputeChargeUseCase;
import io.taskmetering.application.port.in.EvaluateOutcomeUseCase;
import io.taskmetering.application.port.in.ExportUsageUseCase;
import io.taskmetering.application.port.in.GetEvidenceBundleUseCase;
import io.taskmetering.application.port.in.GetTaskUsageUseCase;
import io.taskmetering.application.port.in.ListAnomaliesUseCase;
import io.taskmetering.application.port.in.ListChargesUseCase;
import io.taskmetering.application.port.in.ListCreditsUseCase;
import io.taskmetering.application.port.in.ListUsageEventsUseCase;
import io.taskmetering.application.port.in.ListUsageUseCase;
import io.taskmetering.application.port.in.PurgeExpiredUseCase;
import io.taskmetering.application.port.in.RecordOutcomeBatchUseCase;
import io.taskmetering.application.port.in.RecordOutcomeUseCase;
import io.taskmetering.application.port.in.RecordUsageBatchUseCase;
import io.taskmetering.application.port.in.RecordUsageUseCase;
import io.taskmetering.application.port.in.ResolveDisputeUseCase;
import io.taskmetering.application.port.in.ReviewChargeUseCase;
import io.taskmetering.application.port.in.SubmitUsageEventsUseCase;
import io.taskmetering.application.port.in.SummarizeUsageUseCase;
import io.taskmetering.application.port.in.UsageStatsUseCase;

import java.util.Objects;

/** Every use case the HTTP API reaches, handed over by bootstrap's wiring. None may be null. */
public record UseCases(
        RecordOutcomeUseCase recordOutcome,
        RecordOutcomeBatchUseCase recordOutcomeBatch,
        EvaluateOutcomeUseCase evaluateOutcome,
        GetEvidenceBundleUseCase evidenceBundle,
        ListChargesUseCase listCharges,
        ReviewChargeUseCase reviewCharge,
        DisputeChargeUseCase disputeCharge,
        ResolveDisputeUseCase resolveDispute,
        ListCreditsUseCase listCredits,
        ListAnomaliesUseCase listAnomalies,
        ListUsageEventsUseCase listUsageEvents,
        CloseHoursUseCase closeHours,
        SubmitUsageEventsUseCase submitUsageEvents,
        RecordUsageUseCase recordUsage,
        RecordUsageBatchUseCase recordUsageBatch,
        ListUsageUseCase listUsage,
        GetTaskUsageUseCase taskUsage,
        AggregateUsageUseCase aggregateUsage,
        SummarizeUsageUseCase summarizeUsage,
        ExportUsageUseCase exportUsage,
        UsageStatsUseCase usageStats,
        PurgeExpiredUseCase purgeExpired,
        BacklogUseCase backlog) {

    public UseCases {
        // Fail at wiring time, not on the first request that needs the missing one.
        Objects.requireNonNull(recordOutcome, "recordOutcome");
        Objects.requireNonNull(recordOutcomeBatch, "recordOutcomeBatch");
        Objects.requireNonNull(evaluateOutcome, "evaluateOutcome");
        Objects.requireNonNull(evidenceBundle, "evidenceBundle");
        Objects.requireNonNull(listCharges, "listCharges");
        Objects.requireNonNull(reviewCharge, "reviewCharge");
        Objects.requireNonNull(disputeCharge, "disputeCharge");
        Objects.requireNonNull(resolveDispute, "resolveDispute");
        Objects.requireNonNull(listCredits, "listCredits");
        Objects.requireNonNull(listAnomalies, "listAnomalies");
        Objects.requireNonNull(listUsageEvents, "listUsageEvents");
        Objects.requireNonNull(closeHours, "closeHours");
        Objects.requireNonNull(submitUsageEvents, "submitUsageEvents");
        Objects.requireNonNull(recordUsage, "recordUsage");
        Objects.requireNonNull(recordUsageBatch, "recordUsageBatch");
        Objects.requireNonNull(listUsage, "listUsage");
        Objects.requireNonNull(taskUsage, "taskUsage");
        Objects.requireNonNull(aggregateUsage, "aggregateUsage");
        Objects.requireNonNull(summarizeUsage, "summarizeUsage");
        Objects.requireNonNull(exportUsage, "exportUsage");
        Objects.requireNonNull(usageStats, "usageStats");
        Objects.requireNonNull(purgeExpired, "purgeExpired");
        Objects.requireNonNull(backlog, "backlog");
    }
}
