package io.taskmetering.domain.charge;

import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.common.CorrelationId;

import java.util.List;
import java.util.Objects;

/** What recording one evaluated outcome did. Never a bare boolean: each case carries what a caller must show. */
public sealed interface RecordingOutcome {

    /** The counter changes the caller applies for this outcome: one, in the charge's hour, when it was counted. */
    default List<CountChange> countChanges() {
        return List.of();
    }

    /** The decision was not billable; nothing was charged. */
    enum NotBillable implements RecordingOutcome { INSTANCE }

    /** A new charge, QUALIFIED and counted in its hour. */
    record Recorded(Charge charge) implements RecordingOutcome {
        public Recorded {
            Objects.requireNonNull(charge, "charge");
        }

        @Override
        public List<CountChange> countChanges() {
            return List.of(new CountChange(charge.bucket(), 1));
        }
    }

    /** The task was already charged; {@code originalCorrelationId} names the decision that was. */
    record Duplicate(ChargeKey key, CorrelationId originalCorrelationId) implements RecordingOutcome {
        public Duplicate {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(originalCorrelationId, "originalCorrelationId");
        }
    }

    /** A new charge held for a person: over a cap ({@code anomaly} set) or ambiguous ({@code anomaly} null). */
    record HeldForReview(Charge charge, Anomaly anomaly) implements RecordingOutcome {
        public HeldForReview {
            Objects.requireNonNull(charge, "charge");
        }
    }
}
