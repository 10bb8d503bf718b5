package io.taskmetering.adapter.marketplace;

import io.taskmetering.adapter.marketplace.Verdicts.Verdict;
import io.taskmetering.application.model.SubmissionAttempt;
import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.UsageEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One event of a submission run: its bytes and correlation id (the same on every attempt), the last instant an
 * attempt may start, and every attempt made so far. Confined to the thread running its request.
 */
final class PendingEvent {
    final UsageEvent event;
    final BucketKey key;
    final MatchKey matchKey;
    final String json;
    final byte[] bytes;
    final String correlationId;
    final Instant lastStart;
    private final List<SubmissionAttempt> attempts = new ArrayList<>();
    private boolean mayHaveLanded;

    /** @param lastStart no attempt starts at or after this: {@code effectiveStartTime + 24h - deadline margin} */
    PendingEvent(UsageEvent event, Instant lastStart) {
        this.event = event;
        this.key = event.key();
        this.matchKey = MatchKey.of(event);
        this.json = MarketplacePayloads.eventJson(event);
        this.bytes = MarketplacePayloads.utf8(json);
        this.correlationId = MarketplacePayloads.correlationId(key);
        this.lastStart = lastStart;
    }

    /** Whether an attempt starting at {@code at} would be too late for the Marketplace's 24 h window. */
    boolean tooLateToStartAt(Instant at) {
        return !at.isBefore(lastStart);
    }

    /** @param unknownFate the Marketplace may have recorded the event although we do not know it */
    void record(AttemptOutcome.Attempt attempt, String outcome, String detail, boolean unknownFate) {
        attempts.add(new SubmissionAttempt(attempts.size() + 1, attempt.requestId(), attempt.correlationId(),
                attempt.at(), attempt.httpStatus(), outcome, detail));
        mayHaveLanded |= unknownFate;
    }

    /** Appended to a message that gives the event up, when an earlier attempt may have landed. */
    String fateNote() {
        return mayHaveLanded ? " (an earlier attempt may have been recorded by the Marketplace: the same hour key is"
                + " sent again first, and reconciliation shows it)" : "";
    }

    SubmissionResult result(SubmissionStatus status, String errorCode, String errorMessage) {
        return new SubmissionResult(key, status, json, null, null, null, errorCode, errorMessage, attempts);
    }

    SubmissionResult deadlinePassed(String errorMessage) {
        return SubmissionResult.deadlinePassed(key, json, errorMessage, attempts);
    }

    SubmissionResult result(Verdict verdict) {
        return new SubmissionResult(key, verdict.status(), json, verdict.usageEventId(), verdict.messageTime(),
                verdict.marketplaceQuantity(), verdict.errorCode(), verdict.errorMessage(), attempts);
    }
}
