package io.taskmetering.domain.billing;

import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored record of something that needs a person's attention. Cap anomalies carry the cap and the value that broke
 * it; submission anomalies carry the hour. Fields that do not apply are null.
 */
public record Anomaly(
        String id,
        AnomalyType type,
        SubscriptionRef subscription,
        Instant occurredAt,
        String detail,
        CapType capType,
        Long capValue,
        Long actualValue,
        TaskId taskId,
        CorrelationId correlationId,
        Dimension dimension,
        BillingHour hour) {

    public Anomaly {
        Require.id("anomaly_id", id);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(detail, "detail");
    }

    public static Anomaly capExceeded(String id, SubscriptionRef subscription, CapVerdict.OverCap overCap, TaskId taskId,
                                      CorrelationId correlationId, Dimension dimension, BillingHour hour, Instant at) {
        String detail = overCap.capType().wireName() + " cap " + overCap.capValue() + " exceeded (would be "
                + overCap.actualValue() + "); charge held for review";
        return new Anomaly(id, AnomalyType.CAP_EXCEEDED, subscription, at, detail, overCap.capType(), overCap.capValue(),
                overCap.actualValue(), taskId, correlationId, dimension, hour);
    }

    public static Anomaly forHour(String id, AnomalyType type, BucketKey key, String detail, Instant at) {
        return new Anomaly(id, type, key.subscription(), at, detail, null, null, null, null, null, key.dimension(),
                key.hour());
    }
}
