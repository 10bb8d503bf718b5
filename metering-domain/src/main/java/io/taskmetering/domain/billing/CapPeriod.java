package io.taskmetering.domain.billing;

import io.taskmetering.domain.common.SubscriptionRef;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/** One counter of admitted charges for a guardrail cap: a subscription's hour or day. */
public record CapPeriod(SubscriptionRef subscription, CapType type, Instant start) implements Comparable<CapPeriod> {
    private static final Comparator<CapPeriod> ORDER = Comparator.comparing(CapPeriod::subscription)
            .thenComparing(CapPeriod::type)
            .thenComparing(CapPeriod::start);

    public CapPeriod {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(start, "start");
    }

    public static CapPeriod hourOf(SubscriptionRef subscription, BillingHour hour) {
        return new CapPeriod(subscription, CapType.HOURLY, hour.start());
    }

    public static CapPeriod dayOf(SubscriptionRef subscription, BillingHour hour) {
        return new CapPeriod(subscription, CapType.DAILY, hour.dayStart());
    }

    @Override
    public int compareTo(CapPeriod other) {
        return ORDER.compare(this, other);
    }
}
