package io.taskmetering.application.port.in;

import io.taskmetering.application.model.AnomalyQuery;
import io.taskmetering.application.model.ChargeQuery;
import io.taskmetering.application.model.Page;
import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.common.CorrelationId;

import java.util.Optional;

/** What was charged and why: charges, credits owed, anomalies, and the evidence behind one decision. */
public interface ChargeQueries {
    Page<Charge> listCharges(ChargeQuery query);

    Page<LedgerEntry> listCredits(CreditsQuery query);

    Page<Anomaly> listAnomalies(AnomalyQuery query);

    /** The evidence bundle of one decision; empty when no decision has this correlation id. */
    Optional<EvidenceBundle> evidenceBundle(CorrelationId correlationId);
}
