package io.taskmetering.application.model;

import io.taskmetering.domain.common.SubscriptionRef;

import java.time.Instant;
import java.util.Objects;

/**
 * What one subscription hour's usage events (all dimensions) reported to the Marketplace.
 *
 * @param submitted the quantity of the hour's usage events
 * @param accepted  the quantity of the hour's usage events the Marketplace accepted (or dry-run recorded); null while
 *                  any of them is still pending
 */
public record HourQuantity(SubscriptionRef subscription, Instant hour, long submitted, Long accepted) {
    public HourQuantity {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(hour, "hour");
    }
}
