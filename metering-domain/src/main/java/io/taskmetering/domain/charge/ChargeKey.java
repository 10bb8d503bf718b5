package io.taskmetering.domain.charge;

import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;

import java.util.Objects;

/**
 * The idempotency key of a charge: a task is billed once per subscription and dimension. {@code scope} is
 * {@value #TASK_SCOPE} for the default task scope, or the ISO hour when the compatibility hour scope is configured.
 */
public record ChargeKey(SubscriptionRef subscription, Dimension dimension, TaskId taskId, String scope) {
    public static final String TASK_SCOPE = "task";

    public ChargeKey {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(dimension, "dimension");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(scope, "scope");
    }

    public static ChargeKey of(DedupeScope dedupeScope, SubscriptionRef subscription, Dimension dimension, TaskId taskId,
                               BillingHour occurredHour) {
        String scope = dedupeScope == DedupeScope.HOUR ? occurredHour.toString() : TASK_SCOPE;
        return new ChargeKey(subscription, dimension, taskId, scope);
    }
}
