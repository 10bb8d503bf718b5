package io.taskmetering.application.model;

import io.taskmetering.domain.billing.BucketKey;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The end of one usage event's submission run.
 *
 * @param requestBody          the exact JSON of the event as sent (identical on every attempt of an hour key)
 * @param usageEventId         the Marketplace's id when accepted (the original one for a duplicate)
 * @param marketplaceQuantity  the quantity the Marketplace holds, when it said (duplicates)
 */
public record SubmissionResult(BucketKey key, SubmissionStatus status, String requestBody, String usageEventId,
                               Instant messageTime, Long marketplaceQuantity, String errorCode, String errorMessage,
                               List<SubmissionAttempt> attempts) {
    public SubmissionResult {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(status, "status");
        attempts = List.copyOf(attempts == null ? List.of() : attempts);
    }
}
