package io.taskmetering.application.port.out;


import java.util.Objects;

/**
 * The storage ports the outcome path writes through, grouped so that the services' constructors stay readable.
 * A storage adapter that implements them all may hand out the whole group.
 */
public record OutcomePorts(UnitOfWork unitOfWork, SaveDecisionsPort saveDecisions, LoadDecisionsPort loadDecisions,
                           SaveChargesPort saveCharges, LedgerPort ledger, HourBucketPort buckets,
                           CapCounterPort capCounters, AnomalyPort anomalies, UsageRecordPort usageRecords,
                           LoadContractsPort contracts, SaveShadowsPort saveShadows, LoadShadowsPort loadShadows) {
    public OutcomePorts {
        Objects.requireNonNull(unitOfWork, "unitOfWork");
        Objects.requireNonNull(saveDecisions, "saveDecisions");
        Objects.requireNonNull(loadDecisions, "loadDecisions");
        Objects.requireNonNull(saveCharges, "saveCharges");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(buckets, "buckets");
        Objects.requireNonNull(capCounters, "capCounters");
        Objects.requireNonNull(anomalies, "anomalies");
        Objects.requireNonNull(usageRecords, "usageRecords");
        Objects.requireNonNull(contracts, "contracts");
        Objects.requireNonNull(saveShadows, "saveShadows");
        Objects.requireNonNull(loadShadows, "loadShadows");
    }
}
