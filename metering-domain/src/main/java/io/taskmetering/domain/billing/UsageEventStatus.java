package io.taskmetering.domain.billing;

/** Where a usage event stands with the Marketplace. */
public enum UsageEventStatus {
    /** Written to the outbox, not yet accepted; sent (again) by the next submission run. */
    PENDING,
    /** Accepted by the Marketplace (also: a duplicate with the same quantity, i.e. an earlier attempt landed). */
    ACCEPTED,
    /** Recorded by the dry-run client: exactly what would have been sent. Counts as accepted. */
    DRY_RUN,
    /** The Marketplace already holds a different quantity for this hour; needs a person. */
    DISCREPANCY,
    /** Refused as expired, or given up at the 24 h deadline. */
    EXPIRED,
    /** Refused for good (resource, dimension, quantity, argument or authorization errors). */
    REJECTED;

    /** Money is owed for the hour's charges. */
    public boolean invoiced() {
        return this == ACCEPTED || this == DRY_RUN;
    }

    /** No further submission will be attempted. */
    public boolean terminal() {
        return this != PENDING;
    }
}
