package io.taskmetering.domain.charge;

import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChargeKeyTest {
    private static final SubscriptionRef CONTOSO = SubscriptionRef.of("sub-contoso-001");
    private static final TaskId TASK = TaskId.of("task-001");
    private static final BillingHour H14 = BillingHour.parse("2025-06-01T14:00:00Z");

    @Test
    void taskScopeBillsATaskOnceAcrossHours() {
        ChargeKey first = ChargeKey.of(DedupeScope.TASK, CONTOSO, Dimension.TASK_COMPLETED, TASK, H14);
        ChargeKey retryNextHour = ChargeKey.of(DedupeScope.TASK, CONTOSO, Dimension.TASK_COMPLETED, TASK, H14.next());

        assertThat(first).isEqualTo(retryNextHour);
        assertThat(first.scope()).isEqualTo(ChargeKey.TASK_SCOPE).isEqualTo("task");
    }

    @Test
    void hourScopeKeysOnTheHourTheTaskHappenedIn() {
        ChargeKey first = ChargeKey.of(DedupeScope.HOUR, CONTOSO, Dimension.TASK_COMPLETED, TASK, H14);
        ChargeKey sameHour = ChargeKey.of(DedupeScope.HOUR, CONTOSO, Dimension.TASK_COMPLETED, TASK, H14);
        ChargeKey retryNextHour = ChargeKey.of(DedupeScope.HOUR, CONTOSO, Dimension.TASK_COMPLETED, TASK, H14.next());

        assertThat(first.scope()).isEqualTo("2025-06-01T14:00:00Z");
        assertThat(first).isEqualTo(sameHour).isNotEqualTo(retryNextHour);
    }

    @Test
    void subscriptionAndDimensionArePartOfTheKey() {
        ChargeKey key = ChargeKey.of(DedupeScope.TASK, CONTOSO, Dimension.TASK_COMPLETED, TASK, H14);

        assertThat(key).isNotEqualTo(ChargeKey.of(DedupeScope.TASK, SubscriptionRef.of("sub-other"),
                Dimension.TASK_COMPLETED, TASK, H14));
        assertThat(key).isNotEqualTo(ChargeKey.of(DedupeScope.TASK, CONTOSO, Dimension.of("premium_task"), TASK, H14));
    }

    @Test
    void dedupeScopeParsesItsWireNamesOnly() {
        assertThat(DedupeScope.parse("task")).isEqualTo(DedupeScope.TASK);
        assertThat(DedupeScope.parse("HOUR")).isEqualTo(DedupeScope.HOUR);
        assertThat(DedupeScope.TASK.wireName()).isEqualTo("task");
        assertThatThrownBy(() -> DedupeScope.parse("day"))
                .isInstanceOfSatisfying(InvalidValueException.class,
                        e -> assertThat(e.field()).isEqualTo("dedupe_scope"));
    }
}
