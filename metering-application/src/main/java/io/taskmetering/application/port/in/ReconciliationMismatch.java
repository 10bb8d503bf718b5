package io.taskmetering.application.port.in;

import java.math.BigDecimal;

/**
 * One (resource, dimension, plan) whose day total differs: what we recorded as accepted by the Marketplace against
 * what the Marketplace says it received.
 */
public record ReconciliationMismatch(String resourceId, String dimension, String planId, long recordedAccepted,
                                     BigDecimal marketplaceSubmitted, Kind kind) {
    public enum Kind {
        /** We recorded acceptances the Marketplace does not show (or shows less of). */
        MISSING_AT_MARKETPLACE,
        /** The Marketplace shows usage we never recorded as accepted (or more of it). */
        UNEXPECTED_AT_MARKETPLACE
    }
}
