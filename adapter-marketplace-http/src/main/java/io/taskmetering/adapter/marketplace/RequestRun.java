package io.taskmetering.adapter.marketplace;

import io.github.resilience4j.retry.Retry;
import io.taskmetering.adapter.marketplace.AttemptOutcome.Answered;
import io.taskmetering.adapter.marketplace.AttemptOutcome.BatchRefused;
import io.taskmetering.adapter.marketplace.AttemptOutcome.Interrupted;
import io.taskmetering.adapter.marketplace.AttemptOutcome.TokenRefused;
import io.taskmetering.adapter.marketplace.AttemptOutcome.Transient;
import io.taskmetering.adapter.marketplace.AttemptOutcome.Unauthorized;
import io.taskmetering.adapter.marketplace.AttemptOutcome.Unexpected;
import io.taskmetering.adapter.marketplace.Verdicts.Verdict;
import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.domain.billing.BucketKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One request's events (a batch or a single event) from the first attempt to a final result each: resends after
 * transient failures and {@code Error} items as {@link RetryPolicy} allows, refreshes the token once after a 401/403,
 * sends the events of a batch refused as a whole one by one, and stops an event at its deadline or all of them at the
 * retry budget. Every event ends with exactly one result under its own hour key. Used by one thread, once.
 */
final class RequestRun {
    private static final Logger log = LoggerFactory.getLogger(RequestRun.class);

    private final MarketplaceConfig config;
    private final MarketplaceCall call;
    private final RetryPolicy retryPolicy;
    private final AccessTokenSource tokens;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Endpoint endpoint;
    private final Instant started;
    private final Map<BucketKey, PendingEvent> open = new LinkedHashMap<>();
    private final List<SubmissionResult> done = new ArrayList<>();
    private final Retry.AsyncContext<AttemptOutcome> transientFailures;
    private final Retry.AsyncContext<AttemptOutcome> itemErrors;
    private boolean tokenRefreshed;

    RequestRun(MarketplaceConfig config, MarketplaceCall call, RetryPolicy retryPolicy, AccessTokenSource tokens,
               Clock clock, Sleeper sleeper, Endpoint endpoint, List<PendingEvent> events) {
        this.config = config;
        this.call = call;
        this.retryPolicy = retryPolicy;
        this.tokens = tokens;
        this.clock = clock;
        this.sleeper = sleeper;
        this.endpoint = endpoint;
        this.started = clock.instant();
        this.transientFailures = retryPolicy.transientFailures();
        this.itemErrors = retryPolicy.itemErrors();
        events.forEach(event -> open.put(event.key, event));
    }

    List<SubmissionResult> run() {
        for (PendingEvent event : List.copyOf(open.values())) {
            if (event.tooLateToStartAt(started)) {
                finish(event, event.deadlinePassed("not sent: " + started + " is past the last allowed start "
                        + event.lastStart + " (effectiveStartTime + 24h - deadline margin)" + event.fateNote()));
            }
        }
        while (!open.isEmpty()) {
            List<PendingEvent> sending = List.copyOf(open.values());
            AttemptOutcome outcome = call.send(endpoint, sending);
            if (outcome instanceof Answered answered) {
                onAnswered(answered, sending);
            } else if (outcome instanceof Transient t) {
                sending.forEach(e -> e.record(t.attempt(), t.outcome(), t.detail(), t.mayHaveLanded()));
                long wait = transientFailures.onResult(t);
                if (wait < 0) {
                    finishAll(SubmissionStatus.RETRY_LATER, "retries_exhausted", "gave up after "
                            + config.maxAttempts() + " attempts; last " + t.outcome() + describe(t.detail()));
                } else {
                    waitOrStop(wait, t.outcome());
                }
            } else if (outcome instanceof Unauthorized u) {
                sending.forEach(e -> e.record(u.attempt(), u.outcome(), u.detail(), false));
                if (tokenRefreshed) {
                    finishAll(SubmissionStatus.UNAUTHORIZED, u.outcome(), "refused after one token refresh"
                            + describe(u.detail()));
                } else {
                    tokenRefreshed = true;
                    refreshToken(u.token());
                }
            } else if (outcome instanceof TokenRefused refused) {
                sending.forEach(e -> e.record(refused.attempt(), refused.outcome(), refused.detail(), false));
                finishAll(SubmissionStatus.RETRY_LATER, "token_unavailable", "not sent: " + refused.detail());
            } else if (outcome instanceof BatchRefused refused) {
                sending.forEach(e -> e.record(refused.attempt(), refused.outcome(), refused.detail(), false));
                log.atWarn().setMessage("batch refused as a whole ({}); sending its {} events one by one")
                        .addArgument(refused.outcome()).addArgument(sending.size())
                        .addKeyValue("event", "marketplace_batch_refused").log();
                for (PendingEvent event : sending) {
                    open.remove(event.key);
                    done.addAll(new RequestRun(config, call, retryPolicy, tokens, clock, sleeper, Endpoint.SINGLE,
                            List.of(event)).run());
                }
            } else if (outcome instanceof Unexpected u) {
                sending.forEach(e -> e.record(u.attempt(), u.outcome(), u.detail(), true));
                finishAll(SubmissionStatus.RETRY_LATER, u.outcome(), "unexpected answer; the hour stays pending"
                        + describe(u.detail()));
            } else if (outcome instanceof Interrupted interrupted) {
                sending.forEach(e -> e.record(interrupted.attempt(), interrupted.outcome(), null, true));
                finishAll(SubmissionStatus.RETRY_LATER, "interrupted", "the submitting thread was interrupted");
            }
        }
        transientFailures.onComplete();
        itemErrors.onComplete();
        return done;
    }

    private void refreshToken(String rejected) {
        try {
            tokens.refreshAfterRejection(rejected);
        } catch (TokenUnavailableException e) {
            // the next attempt asks for a token again and reports that failure itself
        }
    }

    private void onAnswered(Answered answered, List<PendingEvent> sending) {
        boolean retryItems = false;
        for (PendingEvent event : sending) {
            Verdict verdict = answered.verdicts().get(event.key);
            event.record(answered.attempt(), verdict.outcome(), verdict.errorMessage(), !verdict.terminal());
            if (verdict.terminal()) {
                finish(event, event.result(verdict));
            } else {
                retryItems = true;
            }
        }
        if (retryItems) {
            long wait = itemErrors.onResult(answered);
            if (wait < 0) {
                finishAll(SubmissionStatus.RETRY_LATER, "item_retries_exhausted", "answered Error "
                        + config.itemErrorMaxAttempts() + " times; the hour stays pending");
            } else {
                waitOrStop(wait, "item_error");
            }
        }
    }

    /** Sleeps before the next attempt unless that attempt would start past a deadline or the retry budget. */
    private void waitOrStop(long waitMillis, String lastOutcome) {
        Instant next = clock.instant().plusMillis(waitMillis);
        for (PendingEvent event : List.copyOf(open.values())) {
            if (event.tooLateToStartAt(next)) {
                finish(event, event.deadlinePassed("stopped retrying: the next attempt (" + next
                        + ") would start past the last allowed start " + event.lastStart
                        + " (effectiveStartTime + 24h - deadline margin); last " + lastOutcome + event.fateNote()));
            }
        }
        if (open.isEmpty()) {
            return;
        }
        if (next.isAfter(started.plus(config.retryBudget()))) {
            finishAll(SubmissionStatus.RETRY_LATER, "retry_budget_exhausted", "the next attempt (" + next
                    + ") would start past the retry budget of " + config.retryBudget() + "; last " + lastOutcome);
            return;
        }
        log.atInfo().setMessage("marketplace retry in {} ms after {} ({} events)").addArgument(waitMillis)
                .addArgument(lastOutcome).addArgument(open.size())
                .addKeyValue("event", "marketplace_retry_scheduled").addKeyValue("waitMillis", waitMillis)
                .addKeyValue("lastOutcome", lastOutcome).addKeyValue("events", open.size()).log();
        try {
            sleeper.sleep(Duration.ofMillis(waitMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finishAll(SubmissionStatus.RETRY_LATER, "interrupted", "interrupted while waiting to retry; last "
                    + lastOutcome);
        }
    }

    private void finish(PendingEvent event, SubmissionResult result) {
        open.remove(event.key);
        done.add(result);
        LoggingEventBuilder line = switch (result.status()) {
            case ACCEPTED, DUPLICATE_ACCEPTED, DRY_RUN -> log.atDebug();
            case RETRY_LATER -> log.atInfo();
            default -> log.atWarn();
        };
        line.setMessage("marketplace result {} for {} after {} attempts{}").addArgument(result.status())
                .addArgument(event.key).addArgument(result.attempts().size())
                .addArgument(result.errorCode() == null ? "" : " (" + result.errorCode() + ")")
                .addKeyValue("event", "marketplace_result").addKeyValue("hourKey", event.key.toString())
                .addKeyValue("status", result.status().name()).addKeyValue("correlationId", event.correlationId)
                .addKeyValue("usageEventId", result.usageEventId()).addKeyValue("errorCode", result.errorCode())
                .addKeyValue("attempts", result.attempts().size()).log();
    }

    private void finishAll(SubmissionStatus status, String code, String message) {
        for (PendingEvent event : List.copyOf(open.values())) {
            finish(event, event.result(status, code, message + event.fateNote()));
        }
    }

    private static String describe(String detail) {
        return detail == null ? "" : ": " + detail;
    }
}
