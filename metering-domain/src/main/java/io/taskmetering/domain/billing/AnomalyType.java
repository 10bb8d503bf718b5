package io.taskmetering.domain.billing;

import java.util.Locale;

/** What went wrong; every anomaly is stored and queryable, nothing is only logged. */
public enum AnomalyType {
    /** An outcome over an hourly or daily cap was held for review. */
    CAP_EXCEEDED,
    /** The Marketplace already holds a different quantity for an hour we submitted. */
    SUBMISSION_DISCREPANCY,
    /** The Marketplace refused an hour as expired (older than 24 h or in the future). */
    SUBMISSION_EXPIRED,
    /** The Marketplace refused an hour for good (resource, dimension, quantity or argument errors). */
    SUBMISSION_REJECTED,
    /** An hour could not be submitted before its 24 h deadline and was given up. */
    SUBMISSION_DEADLINE,
    /** The Marketplace refused our credentials even after a token refresh. */
    SUBMISSION_UNAUTHORIZED,
    /** What the Marketplace recorded differs from what we recorded as accepted. */
    RECONCILIATION_MISMATCH;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AnomalyType parse(String value) {
        for (AnomalyType type : values()) {
            if (type.wireName().equalsIgnoreCase(value) || type.name().equalsIgnoreCase(value)) {
                return type;
            }
        }
        throw new io.taskmetering.domain.common.InvalidValueException("type", "unknown anomaly type '" + value + "'");
    }
}
