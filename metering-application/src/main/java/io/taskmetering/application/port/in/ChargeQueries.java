package io.taskmetering.application.port.in;

import io.taskmetering.application.model.AnomalyQuery;
import io.taskmetering.application.model.ChargeQuery;
import io.taskmetering.application.model.Page;
import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.common.CorrelationId;

import java.util.Optional;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.SubscriptionRef;
import java.util.Set;

/** What was charged and why: charges, credits owed, anomalies, and the evidence behind one decision. */
public interface ChargeQueries {
    Page<Charge> listCharges(ChargeQuery query);

    Page<LedgerEntry> listCredits(CreditsQuery query);

    Page<Anomaly> listAnomalies(AnomalyQuery query);

    /** The evidence bundle of one decision; empty when no decision has this correlation id. */
    Optional<EvidenceBundle> evidenceBundle(CorrelationId correlationId);

    /** Credits owed (reversals of already-invoiced charges); {@code subscriptions} empty = all. */
    record CreditsQuery(Set<SubscriptionRef> subscriptions, int limit, String cursor) {
        public CreditsQuery {
            subscriptions = Set.copyOf(subscriptions == null ? Set.of() : subscriptions);
            if (limit < 1 || limit > ChargeQuery.MAX_LIMIT) {
                throw new InvalidValueException("limit", "must be between 1 and " + ChargeQuery.MAX_LIMIT);
            }
        }
    }
}
