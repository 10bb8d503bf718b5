package io.taskmetering.adapter.marketplace;

import io.taskmetering.application.model.SubmissionAttempt;
import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.billing.UsageEventStatus;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

import static io.taskmetering.adapter.marketplace.FakeMarketplace.Fault;
import static io.taskmetering.adapter.marketplace.TestEvents.HOUR;
import static io.taskmetering.adapter.marketplace.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

class MarketplaceRetryTest extends MarketplaceTestSupport {

    private SubmissionResult submitOne(MarketplaceConfig.Builder config, UsageEvent event) {
        try (MarketplaceHttpClient client = client(config)) {
            List<SubmissionResult> results = client.submit(List.of(event));
            assertThat(results).hasSize(1);
            return results.get(0);
        }
    }

    @ParameterizedTest
    @EnumSource(SubmissionMode.class)
    void throttledWithRetryAfterSecondsWaitsAtLeastThatLongAndResendsIdenticalBytes(SubmissionMode mode) {
        UsageEvent event = event("sub-1", 7);
        fake.fail(Fault.THROTTLED);
        SubmissionResult result = submitOne(fake.config().submissionMode(mode), event);

        assertThat(result.status()).isEqualTo(SubmissionStatus.ACCEPTED);
        assertThat(sleeper.waits).hasSize(1);
        assertThat(sleeper.waits.get(0)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        List<FakeMarketplace.Call> calls = fake.meteringCalls();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).body()).isEqualTo(calls.get(0).body());
        assertThat(calls.get(1).correlationId()).isEqualTo(calls.get(0).correlationId());
        assertThat(calls.get(1).requestId()).isNotEqualTo(calls.get(0).requestId());
        assertThat(result.attempts()).extracting(SubmissionAttempt::httpStatus).containsExactly(429, 200);
        assertThat(result.attempts()).extracting(SubmissionAttempt::requestId)
                .containsExactly(calls.get(0).requestId(), calls.get(1).requestId());
        assertThat(result.attempts()).extracting(SubmissionAttempt::correlationId).containsOnly(calls.get(0).correlationId());
        if (mode == SubmissionMode.SINGLE) {
            assertThat(calls.get(0).bodyText()).isEqualTo(MarketplacePayloads.eventJson(event));
            assertThat(calls.get(0).correlationId()).isEqualTo(MarketplacePayloads.correlationId(event.key()));
        }
    }

    @Test
    void retryAfterAsAnHttpDateIsHonoured() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(TestEvents.NOW.plusSeconds(9).atOffset(ZoneOffset.UTC));
        fake.script(new MockResponse.Builder().code(503).setHeader("Retry-After", date).body("").build());
        SubmissionResult result = submitOne(fake.config(), event("sub-1", 1));
        assertThat(result.status()).isEqualTo(SubmissionStatus.ACCEPTED);
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(9));
    }

    @Test
    void backoffIsExponentialBetweenAttempts() {
        fake.fail(Fault.UNAVAILABLE, Fault.SERVER_ERROR, Fault.UNAVAILABLE);
        SubmissionResult result = submitOne(fake.config(), event("sub-1", 1));
        assertThat(result.status()).isEqualTo(SubmissionStatus.ACCEPTED);
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void jitterKeepsWaitsWithinTheRandomizationBand() {
        Fault[] faults = new Fault[4];
        Arrays.fill(faults, Fault.UNAVAILABLE);
        fake.fail(faults);
        SubmissionResult result = submitOne(fake.config().jitter(0.5).maxAttempts(5), event("sub-1", 1));
        assertThat(result.status()).isEqualTo(SubmissionStatus.ACCEPTED);
        long[] base = {1000, 2000, 4000, 8000};
        assertThat(sleeper.waits).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(sleeper.waits.get(i).toMillis()).isBetween(base[i] / 2, base[i] * 3 / 2);
        }
    }

    @Test
    void unavailableUntilRetriesRunOutLeavesTheHourPendingAndTheReplayIsRecognisedAsOurs() {
        UsageEvent event = event("sub-1", 4);
        Fault[] faults = new Fault[5];
        Arrays.fill(faults, Fault.UNAVAILABLE);
        faults[0] = Fault.UNAVAILABLE_AFTER_RECORDING; // the first attempt landed, the answer was lost
        fake.fail(faults);

        SubmissionResult first = submitOne(fake.config(), event);
        assertThat(first.status()).isEqualTo(SubmissionStatus.RETRY_LATER);
        assertThat(first.errorCode()).isEqualTo("retries_exhausted");
        assertThat(first.attempts()).hasSize(5).allMatch(a -> a.httpStatus() == 503);
        assertThat(first.errorMessage()).contains("may have been recorded");
        assertThat(fake.ledger).hasSize(1);

        SubmissionResult replay = submitOne(fake.config(), event);
        assertThat(replay.status()).isEqualTo(SubmissionStatus.DUPLICATE_ACCEPTED);
        String original = fake.ledger.values().iterator().next().usageEventId();
        assertThat(replay.usageEventId()).isEqualTo(original);
        assertThat(replay.marketplaceQuantity()).isEqualTo(4L);
        List<FakeMarketplace.Call> calls = fake.meteringCalls();
        assertThat(calls).hasSize(6);
        assertThat(calls).extracting(FakeMarketplace.Call::bodyText).containsOnly(calls.get(0).bodyText());
        assertThat(calls).extracting(FakeMarketplace.Call::correlationId).containsOnly(calls.get(0).correlationId());
        assertThat(calls.stream().map(FakeMarketplace.Call::requestId).distinct()).hasSize(6);
    }

    @ParameterizedTest
    @EnumSource(SubmissionMode.class)
    void connectionResetAfterTheEventLandedIsRetriedAndAcceptedOnce(SubmissionMode mode) {
        UsageEvent event = event("sub-1", 3);
        fake.fail(Fault.RESET_AFTER_RECORDING);
        SubmissionResult result = submitOne(fake.config().submissionMode(mode), event);
        assertThat(result.status()).isEqualTo(SubmissionStatus.DUPLICATE_ACCEPTED);
        assertThat(result.attempts()).extracting(SubmissionAttempt::outcome).first().isEqualTo("io_error");
        assertThat(result.attempts().get(0).httpStatus()).isNull();
        assertThat(fake.ledger).hasSize(1);
        assertThat(result.usageEventId()).isEqualTo(fake.ledger.values().iterator().next().usageEventId());
    }

    @Test
    void connectionResetBeforeAnythingLandedIsRetriedAndAccepted() {
        fake.fail(Fault.RESET_BEFORE_RECORDING);
        SubmissionResult result = submitOne(fake.config(), event("sub-1", 3));
        assertThat(result.status()).isEqualTo(SubmissionStatus.ACCEPTED);
        List<FakeMarketplace.Call> calls = fake.meteringCalls();
        assertThat(calls.get(1).body()).isEqualTo(calls.get(0).body());
    }

    @ParameterizedTest
    @EnumSource(SubmissionMode.class)
    void readTimeoutMidRequestIsRetriedAndAcceptedExactlyOnce(SubmissionMode mode) {
        UsageEvent event = event("sub-1", 3);
        fake.fail(Fault.SLOW_AFTER_RECORDING);
        SubmissionResult result = submitOne(fake.config().submissionMode(mode).readTimeout(Duration.ofMillis(300)), event);
        assertThat(result.status()).isEqualTo(SubmissionStatus.DUPLICATE_ACCEPTED);
        assertThat(result.attempts()).extracting(SubmissionAttempt::outcome)
                .containsExactly("io_timeout", mode == SubmissionMode.SINGLE ? "duplicate_accepted" : "duplicate_accepted");
        assertThat(fake.ledger).hasSize(1);
    }

    @Test
    void anHourNearItsDeadlineStopsRetryingWithADeadlineResult() {
        MarketplaceConfig.Builder config = fake.config().deadlineMargin(Duration.ofMinutes(30));
        // the last allowed start is HOUR + 24h - 30m; we are 1.5 s before it and the Marketplace says wait 2 s
        clock.setTo(HOUR.plus(Duration.ofHours(24)).minus(Duration.ofMinutes(30)).minusMillis(1500));
        fake.fail(Fault.THROTTLED);
        SubmissionResult result = submitOne(config, event("sub-1", 3));
        assertThat(result.status()).isEqualTo(SubmissionStatus.DEADLINE_PASSED);
        assertThat(result.status().eventStatus()).isEqualTo(UsageEventStatus.EXPIRED);
        assertThat(result.errorCode()).as("stored with the event").isEqualTo("deadline");
        assertThat(result.errorMessage()).contains("last http_429");
        assertThat(fake.meteringCalls()).hasSize(1);
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void anHourPastItsLastAllowedStartIsNotSentAtAll() {
        clock.setTo(HOUR.plus(Duration.ofHours(24)).minus(Duration.ofMinutes(10)));
        SubmissionResult result = submitOne(fake.config().deadlineMargin(Duration.ofMinutes(30)), event("sub-1", 3));
        assertThat(result.status()).isEqualTo(SubmissionStatus.DEADLINE_PASSED);
        assertThat(result.errorCode()).isEqualTo("deadline");
        assertThat(result.attempts()).isEmpty();
        assertThat(result.requestBody()).isEqualTo(MarketplacePayloads.eventJson(event("sub-1", 3)));
        assertThat(fake.meteringCalls()).isEmpty();
    }

    @Test
    void inABatchOnlyTheHoursNearTheirDeadlineStop() {
        Instant lastStartOfOld = HOUR.plus(Duration.ofHours(24)).minus(Duration.ofMinutes(30));
        clock.setTo(lastStartOfOld.minusMillis(500));
        UsageEvent old = event("sub-old", "task_completed", HOUR, 1, "gold");
        UsageEvent young = event("sub-young", "task_completed", HOUR.plus(Duration.ofHours(5)), 1, "gold");
        fake.fail(Fault.UNAVAILABLE);
        List<SubmissionResult> results;
        try (MarketplaceHttpClient client = client(fake.config().deadlineMargin(Duration.ofMinutes(30)))) {
            results = client.submit(List.of(old, young));
        }
        assertThat(byKey(results).get(old.key()).status()).isEqualTo(SubmissionStatus.DEADLINE_PASSED);
        assertThat(byKey(results).get(young.key()).status()).isEqualTo(SubmissionStatus.ACCEPTED);
        assertThat(fake.meteringCalls().get(1).bodyText()).isEqualTo("{\"request\":[" + MarketplacePayloads.eventJson(young) + "]}");
    }

    @Test
    void theRetryBudgetBoundsTheTimeSpentOnOneRequest() {
        fake.fail(Fault.UNAVAILABLE, Fault.UNAVAILABLE, Fault.UNAVAILABLE, Fault.UNAVAILABLE);
        SubmissionResult result = submitOne(fake.config().maxAttempts(10).retryBudget(Duration.ofSeconds(5)),
                event("sub-1", 1));
        assertThat(result.status()).isEqualTo(SubmissionStatus.RETRY_LATER);
        assertThat(result.errorCode()).isEqualTo("retry_budget_exhausted");
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(fake.meteringCalls()).hasSize(3);
    }

    @Test
    void aRetryAfterLongerThanTheBudgetIsNotWaitedFor() {
        fake.script(new MockResponse.Builder().code(429).setHeader("Retry-After", "3600").body("").build());
        SubmissionResult result = submitOne(fake.config(), event("sub-1", 1));
        assertThat(result.status()).isEqualTo(SubmissionStatus.RETRY_LATER);
        assertThat(result.errorCode()).isEqualTo("retry_budget_exhausted");
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void anUnexpectedStatusLeavesTheHourPendingWithoutRetrying() {
        fake.script(FakeMarketplace.json(404, "{\"message\":\"not here\"}"));
        SubmissionResult result = submitOne(fake.config(), event("sub-1", 1));
        assertThat(result.status()).isEqualTo(SubmissionStatus.RETRY_LATER);
        assertThat(result.errorCode()).isEqualTo("http_404");
        assertThat(fake.meteringCalls()).hasSize(1);
    }

    @Test
    void anItemAnsweredErrorIsRetriedABoundedNumberOfTimes() {
        UsageEvent event = event("sub-1", 1);
        fake.itemErrors.put(FakeMarketplace.key(event.resourceId(), event.dimension(), event.effectiveStartTime()),
                new java.util.concurrent.atomic.AtomicInteger(10));
        SubmissionResult result = submitOne(fake.config().itemErrorMaxAttempts(3), event);
        assertThat(result.status()).isEqualTo(SubmissionStatus.RETRY_LATER);
        assertThat(result.errorCode()).isEqualTo("item_retries_exhausted");
        assertThat(result.attempts()).hasSize(3).allMatch(a -> a.outcome().equals("item_error"));
        assertThat(fake.ledger).isEmpty();
    }

    @Test
    void anInterruptedWaitStopsAndLeavesTheHourPending() {
        fake.fail(Fault.UNAVAILABLE);
        MarketplaceHttpClient client = MarketplaceHttpClient.builder(fake.config().build()).clock(clock)
                .sleeper(d -> {
                    throw new InterruptedException();
                }).build();
        List<SubmissionResult> results;
        try (client) {
            results = client.submit(List.of(event("sub-1", 1), event("sub-2", 1)));
        } finally {
            assertThat(Thread.interrupted()).isTrue();
        }
        assertThat(results).extracting(SubmissionResult::status).containsOnly(SubmissionStatus.RETRY_LATER);
        assertThat(results).extracting(SubmissionResult::errorCode).containsOnly("interrupted");
    }
}
