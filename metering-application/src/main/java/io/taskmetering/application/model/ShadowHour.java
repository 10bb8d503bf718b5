package io.taskmetering.application.model;

import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.common.SubscriptionRef;

import java.util.List;
import java.util.Objects;

/**
 * One subscription's hour in a shadow report: outcomes decided under the shadow version, how many the live
 * version(s) billed, how many the shadow version would bill, and the outcomes that flip.
 *
 * @param flipCount every flip of the hour
 * @param flips     the first {@link ShadowReportQuery#MAX_FLIPS_PER_HOUR} flips by correlation id
 */
public record ShadowHour(SubscriptionRef subscription, BillingHour hour, long evaluated, long billableLive,
                         long billableShadow, long flipCount, List<DecisionFlip> flips) {
    public ShadowHour {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(hour, "hour");
        flips = List.copyOf(flips);
    }
}
