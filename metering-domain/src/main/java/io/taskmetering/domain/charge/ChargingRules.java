package io.taskmetering.domain.charge;

import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.CapPeriod;
import io.taskmetering.domain.billing.CapVerdict;
import io.taskmetering.domain.billing.GuardrailCaps;
import io.taskmetering.domain.billing.HourAttribution;
import io.taskmetering.domain.billing.HourPolicy;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.Decision;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The charging decision, written once: what a billable decision comes to (a duplicate of a charge already made,
 * held for review because it is ambiguous or breaks a cap, or qualified in an hour, late when its own had closed)
 * and which counters change. Pure: the caller's store is read through {@link Counts} and changed by the caller with
 * {@link RecordingOutcome#countChanges()}. The embedded {@code OutcomeMeter} and the service both decide here; they
 * differ only in how they store, lock and decide who holds a charge key.
 */
public record ChargingRules(HourPolicy hours, GuardrailCaps caps, DedupeScope dedupeScope) {
    public ChargingRules {
        Objects.requireNonNull(hours, "hours");
        Objects.requireNonNull(caps, "caps");
        Objects.requireNonNull(dedupeScope, "dedupeScope");
    }

    /** The caller's counters as it sees them now (under its locks); the rules only read them. */
    public interface Counts {
        /** Whether the hour's usage event has been fixed (its bucket closed); such an hour takes no more charges. */
        boolean closed(BucketKey bucket);

        /** The charges admitted so far in a subscription's hour or day (0 when none). */
        long admitted(CapPeriod period);
    }

    /**
     * The charge a billable decision claims its key with, before any hour or cap is consulted: held for review when
     * the decision is ambiguous, else qualified in the hour it wants ({@code wanted}).
     */
    public Charge claim(CorrelationId correlationId, SubscriptionRef subscription, Dimension dimension, TaskId taskId,
                        AgentId agentId, Instant occurredAt, HourAttribution wanted, Decision decision, Instant now) {
        ChargeKey key = ChargeKey.of(dedupeScope, subscription, dimension, taskId, BillingHour.containing(occurredAt));
        return decision.needsReview()
                ? Charge.heldForReview(correlationId, key, agentId, occurredAt, wanted, decision.reviewReasons(), now)
                : Charge.qualified(correlationId, key, agentId, occurredAt, wanted, now);
    }

    /**
     * What a claim comes to.
     *
     * @param keyHolder  the correlation id of the charge stored under the claim's key: the claim's own when it won the
     *                   key, another one when the task was charged already (a duplicate)
     * @param anomalyIds asked for an id only when a cap is broken
     */
    public RecordingOutcome decide(Charge claim, CorrelationId keyHolder, Counts counts, Supplier<String> anomalyIds,
                                   Instant now) {
        if (!keyHolder.equals(claim.correlationId())) {
            return new RecordingOutcome.Duplicate(claim.key(), keyHolder);
        }
        if (!claim.counted()) {
            return new RecordingOutcome.HeldForReview(claim, null);
        }
        ChargeKey key = claim.key();
        HourAttribution placed = place(key.subscription(), key.dimension(),
                new HourAttribution(claim.billingHour(), claim.late()), counts, now);
        BillingHour hour = placed.hour();
        CapVerdict verdict = caps.limitsFor(key.subscription()).check(
                counts.admitted(CapPeriod.hourOf(key.subscription(), hour)),
                counts.admitted(CapPeriod.dayOf(key.subscription(), hour)));
        if (verdict instanceof CapVerdict.OverCap over) {
            Charge held = Charge.heldForReview(claim.correlationId(), key, claim.agentId(), claim.occurredAt(), placed,
                    List.of(over.holdReason()), now);
            Anomaly anomaly = Anomaly.capExceeded(anomalyIds.get(), key.subscription(), over, key.taskId(),
                    claim.correlationId(), key.dimension(), hour, now);
            return new RecordingOutcome.HeldForReview(held, anomaly);
        }
        return new RecordingOutcome.Recorded(
                Charge.qualified(claim.correlationId(), key, claim.agentId(), claim.occurredAt(), placed, now));
    }

    /**
     * The hour a charge meant for {@code wanted} is counted in: that hour while it is open, by the clock and in the
     * caller's store, else the oldest open one, marked late. For charges counted after they were recorded (an
     * approved hold, an upheld dispute of a released charge).
     */
    public HourAttribution place(SubscriptionRef subscription, Dimension dimension, HourAttribution wanted, Counts counts,
                                 Instant now) {
        return hours.place(wanted, hour -> counts.closed(new BucketKey(subscription, dimension, hour)), now);
    }
}
