package io.taskmetering.application.port.out;

import java.util.Objects;

/**
 * Every storage port, as one storage adapter offers them, for the wiring only: services are given just the ports they
 * use, never this record.
 */
public record StoragePorts(UnitOfWork unitOfWork, SaveDecisionsPort saveDecisions, LoadDecisionsPort loadDecisions,
                           SaveChargesPort saveCharges, InvoiceHourPort invoiceHour, LoadChargesPort loadCharges, LedgerPort ledger,
                           HourBucketPort hourBuckets, CapCounterPort capCounters, AnomalyPort anomalies,
                           UsageRecordPort usageRecords, SaveUsageEventsPort saveUsageEvents,
                           ClaimUsageEventsPort claimUsageEvents, RecordSubmissionsPort recordSubmissions,
                           LoadUsageEventsPort loadUsageEvents, RetentionPurgePort retentionPurge,
                           SaveContractVersionsPort saveContractVersions, SaveActivationsPort saveActivations,
                           LoadContractsPort loadContracts, SaveShadowsPort saveShadows, LoadShadowsPort loadShadows,
                           LoadInsightsPort loadInsights,
                           SaveReconciliationsPort saveReconciliations, LoadReconciliationsPort loadReconciliations,
                           SaveTraceSpansPort saveTraceSpans, ClaimTaskCandidatesPort claimTaskCandidates,
                           LoadTraceSpansPort loadTraceSpans) {
    public StoragePorts {
        Objects.requireNonNull(unitOfWork, "unitOfWork");
        Objects.requireNonNull(saveDecisions, "saveDecisions");
        Objects.requireNonNull(loadDecisions, "loadDecisions");
        Objects.requireNonNull(saveCharges, "saveCharges");
        Objects.requireNonNull(invoiceHour, "invoiceHour");
        Objects.requireNonNull(loadCharges, "loadCharges");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(hourBuckets, "hourBuckets");
        Objects.requireNonNull(capCounters, "capCounters");
        Objects.requireNonNull(anomalies, "anomalies");
        Objects.requireNonNull(usageRecords, "usageRecords");
        Objects.requireNonNull(saveUsageEvents, "saveUsageEvents");
        Objects.requireNonNull(claimUsageEvents, "claimUsageEvents");
        Objects.requireNonNull(recordSubmissions, "recordSubmissions");
        Objects.requireNonNull(loadUsageEvents, "loadUsageEvents");
        Objects.requireNonNull(retentionPurge, "retentionPurge");
        Objects.requireNonNull(saveContractVersions, "saveContractVersions");
        Objects.requireNonNull(saveActivations, "saveActivations");
        Objects.requireNonNull(loadContracts, "loadContracts");
        Objects.requireNonNull(saveShadows, "saveShadows");
        Objects.requireNonNull(loadShadows, "loadShadows");
        Objects.requireNonNull(loadInsights, "loadInsights");
        Objects.requireNonNull(saveReconciliations, "saveReconciliations");
        Objects.requireNonNull(loadReconciliations, "loadReconciliations");
        Objects.requireNonNull(saveTraceSpans, "saveTraceSpans");
        Objects.requireNonNull(claimTaskCandidates, "claimTaskCandidates");
        Objects.requireNonNull(loadTraceSpans, "loadTraceSpans");
    }
}
