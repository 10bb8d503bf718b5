package io.taskmetering.application.port.in;

import io.taskmetering.application.model.StoredActivation;
import io.taskmetering.domain.billing.BillingHour;

import java.time.Instant;

/** What activating a contract version did. */
public sealed interface ActivateContractResult {
    record Activated(StoredActivation activation) implements ActivateContractResult {
    }

    /** The same version was already activated for this scope at this instant: nothing changed. */
    record AlreadyActivated(StoredActivation activation) implements ActivateContractResult {
    }

    /** No version has this id. */
    record UnknownVersion(String version) implements ActivateContractResult {
    }

    /** The instant lies before the end of the newest hour already closed in the scope: the past is not rewritten. */
    record IntoClosedHour(BillingHour lastClosedHour, Instant earliestEffectiveFrom) implements ActivateContractResult {
    }

    /** Another version is already activated for this scope at this instant; {@code existing} stays. */
    record PlaceTaken(StoredActivation existing) implements ActivateContractResult {
    }
}
