package io.taskmetering.domain.billing;

import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.DomainException;
import io.taskmetering.domain.common.SubscriptionRef;
import org.junit.jupiter.api.Test;

import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HourBucketTest {
    private static final BucketKey KEY = new BucketKey(SubscriptionRef.of("sub-contoso-001"), Dimension.TASK_COMPLETED,
            BillingHour.parse("2025-06-01T14:00:00Z"));

    @Test
    void aNewBucketIsOpenAndEmpty() {
        assertThat(HourBucket.open(KEY)).isEqualTo(new HourBucket(KEY, 0, false));
    }

    @Test
    void countsChargesInAndOutWhileOpen() {
        HourBucket bucket = HourBucket.open(KEY).add(1).add(1).add(1).add(-1);

        assertThat(bucket.quantity()).isEqualTo(2);
        assertThat(bucket.closed()).isFalse();
    }

    @Test
    void neverGoesNegative() {
        assertThatThrownBy(() -> HourBucket.open(KEY).add(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closingFixesTheQuantity() {
        HourBucket closed = HourBucket.open(KEY).add(2).close();

        assertThat(closed.quantity()).isEqualTo(2);
        assertThat(closed.closed()).isTrue();
        assertThatThrownBy(() -> closed.add(1))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("closed")
                .hasMessageContaining(KEY.toString());
        assertThatThrownBy(() -> closed.add(-1)).isInstanceOf(DomainException.class);
    }

    @Test
    void bucketKeysPrintAndSortBySubscriptionDimensionHour() {
        BucketKey later = new BucketKey(KEY.subscription(), KEY.dimension(), KEY.hour().next());
        BucketKey otherDimension = new BucketKey(KEY.subscription(), Dimension.of("words"), KEY.hour());
        BucketKey otherSubscription = new BucketKey(SubscriptionRef.of("sub-a"), KEY.dimension(), KEY.hour().next());

        assertThat(KEY.toString()).isEqualTo("sub-contoso-001/task_completed/2025-06-01T14:00:00Z");
        assertThat(new TreeSet<>(java.util.List.of(otherDimension, later, KEY, otherSubscription)))
                .containsExactly(otherSubscription, KEY, later, otherDimension);
    }
}
