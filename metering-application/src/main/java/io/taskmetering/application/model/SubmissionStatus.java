package io.taskmetering.application.model;

import io.taskmetering.domain.billing.UsageEventStatus;

import java.util.Locale;

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
    /** Item {@code Expired}, or 400 on effectiveStartTime: the Marketplace refused the hour as too old (or in the future). */
    EXPIRED,
    /**
     * Given up without a final answer because no attempt may start after {@code effectiveStartTime + 24h - margin}:
     * not sent at all, or no further retry. Stored as {@code EXPIRED} with error code {@code deadline}.
     */
    DEADLINE_PASSED,
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
            case EXPIRED, DEADLINE_PASSED -> UsageEventStatus.EXPIRED;
            case REJECTED, UNAUTHORIZED -> UsageEventStatus.REJECTED;
            case RETRY_LATER -> UsageEventStatus.PENDING;
        };
    }

    /**
     * The status as anomaly details and metrics name it, lower case: a passed deadline is named {@code expired}, the
     * status it is stored with (its anomaly type tells the two apart).
     */
    public String label() {
        return (this == DEADLINE_PASSED ? EXPIRED : this).name().toLowerCase(Locale.ROOT);
    }
}
