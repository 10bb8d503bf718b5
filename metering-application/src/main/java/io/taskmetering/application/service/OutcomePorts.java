package io.taskmetering.application.service;

import io.taskmetering.application.port.out.AnomalyPort;
import io.taskmetering.application.port.out.CapCounterPort;
import io.taskmetering.application.port.out.HourBucketPort;
import io.taskmetering.application.port.out.LedgerPort;
import io.taskmetering.application.port.out.LoadDecisionsPort;
import io.taskmetering.application.port.out.SaveChargesPort;
import io.taskmetering.application.port.out.SaveDecisionsPort;
import io.taskmetering.application.port.out.UnitOfWork;
import io.taskmetering.application.port.out.UsageRecordPort;

import java.util.Objects;

/** The storage ports the outcome path writes through, grouped so that the services' constructors stay readable. */
public record OutcomePorts(UnitOfWork unitOfWork, SaveDecisionsPort saveDecisions, LoadDecisionsPort loadDecisions,
                           SaveChargesPort saveCharges, LedgerPort ledger, HourBucketPort buckets,
                           CapCounterPort capCounters, AnomalyPort anomalies, UsageRecordPort usageRecords) {
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
    }
}
