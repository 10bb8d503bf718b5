package io.taskmetering.domain.billing;

import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.SubscriptionRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UsageEventTest {
    private static final BucketKey KEY = new BucketKey(SubscriptionRef.of("sub-contoso-001"), Dimension.TASK_COMPLETED,
            BillingHour.parse("2025-06-01T14:00:00Z"));
    private static final PlanId BASIC = PlanId.of("basic");

    @Test
    void namesItsFieldsAsTheMarketplaceDoes() {
        UsageEvent event = new UsageEvent(KEY, 2, BASIC);

        assertThat(event.resourceId()).isEqualTo("sub-contoso-001");
        assertThat(event.dimension()).isEqualTo("task_completed");
        assertThat(event.effectiveStartTime()).isEqualTo("2025-06-01T14:00:00Z");
        assertThat(event.quantity()).isEqualTo(2);
        assertThat(event.planId()).isEqualTo(BASIC);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void thereIsNoEventWithoutAPositiveQuantity(long quantity) {
        assertThatThrownBy(() -> new UsageEvent(KEY, quantity, BASIC))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("rejects 0")
                .extracting(e -> ((InvalidValueException) e).field()).isEqualTo("quantity");
    }

    @Test
    void aClosedBucketWithChargesBecomesOneEvent() {
        HourBucket closed = HourBucket.open(KEY).add(1).add(1).close();

        assertThat(UsageEvent.forBucket(closed, BASIC)).contains(new UsageEvent(KEY, 2, BASIC));
    }

    @Test
    void aClosedEmptyBucketBecomesNoEvent() {
        HourBucket emptied = HourBucket.open(KEY).add(1).add(-1).close();

        assertThat(UsageEvent.forBucket(emptied, BASIC)).isEqualTo(Optional.empty());
        assertThat(UsageEvent.forBucket(HourBucket.open(KEY).close(), BASIC)).isEmpty();
    }

    @Test
    void anOpenBucketBecomesNoEventYet() {
        assertThatThrownBy(() -> UsageEvent.forBucket(HourBucket.open(KEY).add(1), BASIC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("still open");
    }

    @ParameterizedTest
    @EnumSource(UsageEventStatus.class)
    void onlyAcceptedAndDryRunEventsAreInvoicedAndOnlyPendingOnesAreSentAgain(UsageEventStatus status) {
        assertThat(status.invoiced()).isEqualTo(status == UsageEventStatus.ACCEPTED || status == UsageEventStatus.DRY_RUN);
        assertThat(status.terminal()).isEqualTo(status != UsageEventStatus.PENDING);
    }
}
