package io.taskmetering.application.model;

import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.common.CorrelationId;

import java.util.Objects;

/**
 * What recording a decision ended as, stored with it so that a replay of the same correlation id answers the same.
 *
 * @param chargeState           state the charge was created in (QUALIFIED or PENDING_REVIEW), null when none was
 * @param duplicate             the task had been charged already
 * @param chargeCorrelationId   the correlation id of the charge this outcome maps to (its own, or the original's
 *                              for a duplicate); null when not billable
 * @param billingHour           the hour the charge counts in; null when not billable or duplicate
 */
public record OutcomeRecord(
        CorrelationId correlationId,
        ChargeState chargeState,
        boolean duplicate,
        CorrelationId chargeCorrelationId,
        boolean late,
        BillingHour billingHour) {
    public OutcomeRecord {
        Objects.requireNonNull(correlationId, "correlationId");
    }

    public static OutcomeRecord notBillable(CorrelationId correlationId) {
        return new OutcomeRecord(correlationId, null, false, null, false, null);
    }
}
