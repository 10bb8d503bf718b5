package io.taskmetering.adapter.marketplace;

import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.SubscriptionRef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

final class TestEvents {
    /** "Now" in most tests: an hour and five minutes after {@link #HOUR}. */
    static final Instant NOW = Instant.parse("2025-06-01T15:05:00Z");
    static final Instant HOUR = Instant.parse("2025-06-01T14:00:00Z");

    private TestEvents() {
    }

    static UsageEvent event(String subscription, long quantity) {
        return event(subscription, "task_completed", HOUR, quantity, "gold");
    }

    static UsageEvent event(String subscription, String dimension, Instant hour, long quantity, String plan) {
        return new UsageEvent(new BucketKey(SubscriptionRef.of(subscription), Dimension.of(dimension),
                new BillingHour(hour)), quantity, PlanId.of(plan));
    }

    static String subscription(int i) {
        return String.format("%08x-0000-4000-8000-%012x", i, i);
    }

    /** {@code count} events for distinct subscriptions in {@link #HOUR}, quantity {@code i + 1}. */
    static List<UsageEvent> events(int count) {
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(event(subscription(i), i + 1));
        }
        return events;
    }
}
