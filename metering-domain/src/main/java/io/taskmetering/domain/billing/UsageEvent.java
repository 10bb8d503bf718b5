package io.taskmetering.domain.billing;

import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.PlanId;

import java.util.Objects;
import java.util.Optional;

/**
 * One Marketplace usage event: the quantity of QUALIFIED charges of one closed (subscription, dimension, hour).
 * Quantities are whole task counts, so they are exact {@code long}s; the Marketplace rejects 0, so there is no such event.
 */
public record UsageEvent(BucketKey key, long quantity, PlanId planId) {
    public UsageEvent {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(planId, "planId");
        if (quantity <= 0) {
            throw new InvalidValueException("quantity", "must be greater than 0 (the Marketplace rejects 0)");
        }
    }

    /** The event a closed bucket produces, or none when nothing qualified in it. */
    public static Optional<UsageEvent> forBucket(HourBucket bucket, PlanId planId) {
        if (!bucket.closed()) {
            throw new IllegalArgumentException("bucket " + bucket.key() + " is still open");
        }
        return bucket.quantity() == 0 ? Optional.empty() : Optional.of(new UsageEvent(bucket.key(), bucket.quantity(), planId));
    }

    /** The Marketplace's {@code resourceId}: the SaaS subscription. */
    public String resourceId() {
        return key.subscription().value();
    }

    public String dimension() {
        return key.dimension().value();
    }

    /** Top of the hour, UTC, ISO-8601 with Z. */
    public String effectiveStartTime() {
        return key.hour().toString();
    }
}
