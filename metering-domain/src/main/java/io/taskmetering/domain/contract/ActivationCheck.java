package io.taskmetering.domain.contract;

import io.taskmetering.domain.billing.BillingHour;

import java.time.Instant;

/** Whether a proposed activation may enter the schedule: activation never rewrites an hour already closed. */
public sealed interface ActivationCheck {
    record Admissible() implements ActivationCheck {
    }

    /**
     * The activation would take effect before the end of {@code lastClosedHour}, the newest hour of its scope already
     * closed: outcomes of that hour were counted under the schedule as it stood, and its quantity is final.
     */
    record IntoClosedHour(BillingHour lastClosedHour) implements ActivationCheck {
        /** The earliest {@code effective_from} the scope accepts now. */
        public Instant earliestEffectiveFrom() {
            return lastClosedHour.end();
        }
    }
}
