package io.taskmetering.application.port.in;

import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.Decision;

/**
 * What recording an outcome did.
 *
 * @param chargeState         QUALIFIED or PENDING_REVIEW when a charge was created; null when not billable or duplicate
 * @param duplicate           the task was already charged; {@code chargeCorrelationId} names the original charge
 * @param chargeCorrelationId the charge this outcome maps to; null when not billable
 * @param replayed            this correlation id had been recorded before; the stored result is returned
 */
public record OutcomeResult(
        CorrelationId correlationId,
        TaskId taskId,
        SubscriptionRef subscription,
        Decision decision,
        ChargeState chargeState,
        boolean duplicate,
        CorrelationId chargeCorrelationId,
        boolean late,
        BillingHour billingHour,
        boolean replayed) {
}
