package io.taskmetering.application.model;

import io.taskmetering.domain.billing.BucketKey;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The end of one usage event's submission run.
 *
 * @param requestBody          the exact JSON of the event as sent (identical on every attempt of an hour key); null when
 *                             nothing was sent
 * @param usageEventId         the Marketplace's id when accepted (the original one for a duplicate)
 * @param marketplaceQuantity  the quantity the Marketplace holds, when it said (duplicates)
 */
public record SubmissionResult(BucketKey key, SubmissionStatus status, String requestBody, String usageEventId,
                               Instant messageTime, Long marketplaceQuantity, String errorCode, String errorMessage,
                               List<SubmissionAttempt> attempts) {
    /** The error code stored with every {@link SubmissionStatus#DEADLINE_PASSED} result. */
    private static final String DEADLINE_ERROR_CODE = "deadline";

    public SubmissionResult {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(status, "status");
        attempts = List.copyOf(attempts == null ? List.of() : attempts);
    }

    /** An hour given up at its deadline: {@link SubmissionStatus#DEADLINE_PASSED}, error code {@code deadline}. */
    public static SubmissionResult deadlinePassed(BucketKey key, String requestBody, String errorMessage,
                                                  List<SubmissionAttempt> attempts) {
        return new SubmissionResult(key, SubmissionStatus.DEADLINE_PASSED, requestBody, null, null, null,
                DEADLINE_ERROR_CODE, errorMessage, attempts);
    }
}
