package io.taskmetering.application.model;

import io.taskmetering.domain.billing.UsageEventStatus;

/** How one usage event's submission ended, as classified by the Marketplace adapter. */
public enum SubmissionStatus {
    /** 200 / Accepted. */
    ACCEPTED,
    /** 409 or Duplicate with the same quantity: an earlier attempt of ours landed. Counts as accepted. */
    DUPLICATE_ACCEPTED,
    /** Dry-run: recorded what would have been sent, called nothing. */
    DRY_RUN,
    /** 409 or Duplicate with another quantity: the Marketplace holds something else for this hour. */
    DISCREPANCY,
    /** Expired, or 400 on effectiveStartTime; or given up at the 24 h deadline. */
    EXPIRED,
    /** ResourceNotFound/NotActive/NotAuthorized, InvalidDimension/Quantity, BadArgument, other 400, unknown status. */
    REJECTED,
    /** 401/403 after one token refresh. */
    UNAUTHORIZED,
    /** Fate unknown or retries exhausted (5xx, 429, timeouts, Error items): keep the same hour key for the next run. */
    RETRY_LATER;

    public UsageEventStatus eventStatus() {
        return switch (this) {
            case ACCEPTED, DUPLICATE_ACCEPTED -> UsageEventStatus.ACCEPTED;
            case DRY_RUN -> UsageEventStatus.DRY_RUN;
            case DISCREPANCY -> UsageEventStatus.DISCREPANCY;
            case EXPIRED -> UsageEventStatus.EXPIRED;
            case REJECTED, UNAUTHORIZED -> UsageEventStatus.REJECTED;
            case RETRY_LATER -> UsageEventStatus.PENDING;
        };
    }
}
