package io.taskmetering.adapter.marketplace;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.taskmetering.adapter.marketplace.AttemptOutcome.Answered;
import io.taskmetering.adapter.marketplace.AttemptOutcome.Transient;

/**
 * When to retry a request and how long to wait first (resilience4j-retry): transient failures up to
 * {@code maxAttempts}, batch items answered {@code Error} up to {@code itemErrorMaxAttempts}; exponential backoff with
 * jitter, never shorter than the server's {@code Retry-After}. Each request takes fresh contexts; the caller does the
 * waiting, so that it can check the deadline and the retry budget first. Thread-safe.
 */
final class RetryPolicy {
    private final Retry transientRetry;
    private final Retry itemErrorRetry;

    RetryPolicy(MarketplaceConfig config) {
        IntervalFunction backoff = config.jitter() > 0
                ? IntervalFunction.ofExponentialRandomBackoff(config.initialBackoff(), config.backoffMultiplier(),
                config.jitter(), config.maxBackoff())
                : IntervalFunction.ofExponentialBackoff(config.initialBackoff(), config.backoffMultiplier(),
                config.maxBackoff());
        this.transientRetry = Retry.of("marketplace-transient", RetryConfig.<AttemptOutcome>custom()
                .maxAttempts(config.maxAttempts())
                .retryOnResult(outcome -> outcome instanceof Transient)
                .intervalBiFunction((attempt, outcome) -> waitMillis(backoff, attempt, outcome))
                .build());
        this.itemErrorRetry = Retry.of("marketplace-item-error", RetryConfig.<AttemptOutcome>custom()
                .maxAttempts(config.itemErrorMaxAttempts())
                .retryOnResult(outcome -> outcome instanceof Answered answered && answered.hasRetryableItems())
                .intervalBiFunction((attempt, outcome) -> waitMillis(backoff, attempt, outcome))
                .build());
    }

    /** Counts transient failures of one request: {@code onResult} answers the wait in ms, or -1 to give up. */
    Retry.AsyncContext<AttemptOutcome> transientFailures() {
        return transientRetry.asyncContext();
    }

    /** Counts answers of one request with items to resend: {@code onResult} answers the wait in ms, or -1. */
    Retry.AsyncContext<AttemptOutcome> itemErrors() {
        return itemErrorRetry.asyncContext();
    }

    private static long waitMillis(IntervalFunction backoff, int attempt, Either<Throwable, AttemptOutcome> outcome) {
        long wait = backoff.apply(attempt);
        if (outcome.isRight() && outcome.get() instanceof Transient t && t.retryAfter() != null) {
            wait = Math.max(wait, t.retryAfter().toMillis());
        }
        return wait;
    }
}
