package io.taskmetering.adapter.marketplace;

import io.taskmetering.adapter.marketplace.Verdicts.Verdict;
import io.taskmetering.domain.billing.BucketKey;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What one HTTP attempt came to, for the whole request. {@link #outcome()} is the short classification stored with
 * each event's attempt and logged; the retry run decides by the type alone.
 */
sealed interface AttemptOutcome {
    Attempt attempt();

    String outcome();

    /**
     * The ids and start of one attempt, and the HTTP status when an answer arrived.
     *
     * @param requestId null when nothing was sent (no token)
     */
    record Attempt(String requestId, String correlationId, Instant at, Integer httpStatus) {
    }

    /** An answer about each event sent (batch 200; single 200, 400, 409), by hour key. */
    record Answered(Attempt attempt, String outcome, Map<BucketKey, Verdict> verdicts) implements AttemptOutcome {
        boolean hasRetryableItems() {
            return verdicts.values().stream().anyMatch(v -> !v.terminal());
        }
    }

    /**
     * 408, 429, 5xx, an I/O error or timeout, an unreadable 200, or a token endpoint hiccup: retried with backoff.
     *
     * @param retryAfter    the server's {@code Retry-After}, or null
     * @param mayHaveLanded false only when the request surely did not reach the Marketplace
     */
    record Transient(Attempt attempt, String outcome, String detail, Duration retryAfter, boolean mayHaveLanded)
            implements AttemptOutcome {
    }

    /** 401 or 403 with {@code token}: refresh it once, then give up. */
    record Unauthorized(Attempt attempt, String outcome, String detail, String token) implements AttemptOutcome {
        @Override
        public String toString() {
            return "Unauthorized[" + outcome + "]";
        }
    }

    /** The token endpoint refused our credentials: nothing was sent. */
    record TokenRefused(Attempt attempt, String detail) implements AttemptOutcome {
        @Override
        public String outcome() {
            return "token_refused";
        }
    }

    /** A batch answered 400 as a whole: nothing of it was recorded, so its events may be sent one by one. */
    record BatchRefused(Attempt attempt, String outcome, String detail) implements AttemptOutcome {
    }

    /** A status the classification does not cover (404, 3xx, …): not retried now, the hour stays pending. */
    record Unexpected(Attempt attempt, String outcome, String detail) implements AttemptOutcome {
    }

    /** The submitting thread was interrupted during the call. */
    record Interrupted(Attempt attempt) implements AttemptOutcome {
        @Override
        public String outcome() {
            return "interrupted";
        }
    }
}
