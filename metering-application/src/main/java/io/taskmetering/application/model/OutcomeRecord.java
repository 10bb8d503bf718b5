package io.taskmetering.application.model;

import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.common.CorrelationId;

import java.util.Objects;
import java.util.Optional;

/**
 * What recording a decision ended as, stored with it so that a replay of the same correlation id answers the same.
 * Each case carries exactly what it has; nothing is null.
 */
public sealed interface OutcomeRecord {
    CorrelationId correlationId();

    /** The charge this outcome maps to: its own, the original's for a duplicate, none when not billable. */
    default Optional<CorrelationId> chargeCorrelationId() {
        if (this instanceof Duplicate duplicate) {
            return Optional.of(duplicate.originalCorrelationId());
        }
        return this instanceof NotBillable ? Optional.empty() : Optional.of(correlationId());
    }

    /** The decision was not billable (or only evaluated); nothing was charged. */
    record NotBillable(CorrelationId correlationId) implements OutcomeRecord {
        public NotBillable {
            Objects.requireNonNull(correlationId, "correlationId");
        }
    }

    /** Charged now: QUALIFIED and counted in {@code billingHour} ({@code late} when its own hour had closed). */
    record Charged(CorrelationId correlationId, BillingHour billingHour, boolean late) implements OutcomeRecord {
        public Charged {
            Objects.requireNonNull(correlationId, "correlationId");
            Objects.requireNonNull(billingHour, "billingHour");
        }
    }

    /** A charge held for a person (ambiguous, or over a cap); it would count in {@code billingHour}. */
    record HeldForReview(CorrelationId correlationId, BillingHour billingHour, boolean late) implements OutcomeRecord {
        public HeldForReview {
            Objects.requireNonNull(correlationId, "correlationId");
            Objects.requireNonNull(billingHour, "billingHour");
        }
    }

    /** The task was charged already, by the decision {@code originalCorrelationId}; nothing was charged again. */
    record Duplicate(CorrelationId correlationId, CorrelationId originalCorrelationId) implements OutcomeRecord {
        public Duplicate {
            Objects.requireNonNull(correlationId, "correlationId");
            Objects.requireNonNull(originalCorrelationId, "originalCorrelationId");
        }
    }
}
