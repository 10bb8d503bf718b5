package io.taskmetering.adapter.marketplace;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.taskmetering.application.model.SubmissionAttempt;
import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

import java.util.List;

import static io.taskmetering.adapter.marketplace.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

class MarketplaceAuthTest extends MarketplaceTestSupport {

    @ParameterizedTest
    @EnumSource(SubmissionMode.class)
    void a403IsFollowedByOneTokenRefreshThenSuccess(SubmissionMode mode) {
        fake.forbiddenTokens.add("token-1");
        List<SubmissionResult> results;
        try (MarketplaceHttpClient client = client(fake.config().submissionMode(mode))) {
            results = client.submit(List.of(event("sub-1", 1)));
        }
        assertThat(results.get(0).status()).isEqualTo(SubmissionStatus.ACCEPTED);
        assertThat(results.get(0).attempts()).extracting(SubmissionAttempt::httpStatus).containsExactly(403, 200);
        assertThat(fake.tokenRequests).hasValue(2);
        assertThat(fake.meteringCalls()).extracting(FakeMarketplace.Call::authorization)
                .containsExactly("Bearer token-1", "Bearer token-2");
        assertThat(sleeper.waits).as("a refresh is not a backoff").isEmpty();
    }

    @Test
    void aPersistent403EndsUnauthorizedAfterOneRefresh() {
        fake.forbidEveryToken = true;
        List<SubmissionResult> results;
        try (MarketplaceHttpClient client = client()) {
            results = client.submit(TestEvents.events(3));
        }
        assertThat(results).extracting(SubmissionResult::status).containsOnly(SubmissionStatus.UNAUTHORIZED);
        assertThat(results).allSatisfy(r -> assertThat(r.attempts()).hasSize(2));
        assertThat(fake.tokenRequests).hasValue(2);
        assertThat(fake.meteringCalls()).hasSize(2);
    }

    @Test
    void aPersistent403OnManySingleRequestsDoesNotStormTheTokenEndpoint() {
        fake.forbidEveryToken = true;
        List<SubmissionResult> results;
        try (MarketplaceHttpClient client = client(fake.config().submissionMode(SubmissionMode.SINGLE))) {
            results = client.submit(TestEvents.events(10));
        }
        assertThat(results).extracting(SubmissionResult::status).containsOnly(SubmissionStatus.UNAUTHORIZED);
        assertThat(fake.tokenRequests).hasValue(2);
        assertThat(fake.meteringCalls()).hasSize(20);
    }

    @Test
    void a401IsTreatedLikeA403() {
        fake.script(FakeMarketplace.json(401, "{\"message\":\"expired token\"}"));
        List<SubmissionResult> results;
        try (MarketplaceHttpClient client = client()) {
            results = client.submit(List.of(event("sub-1", 1)));
        }
        assertThat(results.get(0).status()).isEqualTo(SubmissionStatus.ACCEPTED);
        assertThat(fake.tokenRequests).hasValue(2);
    }

    @ParameterizedTest
    @EnumSource(SubmissionMode.class)
    void aHundredSubmissionsNeedOneTokenRequest(SubmissionMode mode) {
        try (MarketplaceHttpClient client = client(fake.config().submissionMode(mode))) {
            for (int i = 0; i < 100; i++) {
                assertThat(client.submit(List.of(event(TestEvents.subscription(i), 1))).get(0).status())
                        .isEqualTo(SubmissionStatus.ACCEPTED);
            }
        }
        assertThat(fake.tokenRequests).hasValue(1);
        assertThat(fake.meteringCalls()).hasSize(100);
    }

    @Test
    void refusedCredentialsLeaveTheHourPendingAndSendNothing() {
        List<SubmissionResult> results;
        try (MarketplaceHttpClient client = client(fake.config().clientSecret("wrong-secret"))) {
            results = client.submit(List.of(event("sub-1", 1)));
        }
        assertThat(results.get(0).status()).isEqualTo(SubmissionStatus.RETRY_LATER);
        assertThat(results.get(0).errorCode()).isEqualTo("token_unavailable");
        assertThat(results.get(0).attempts()).extracting(SubmissionAttempt::outcome).containsExactly("token_refused");
        assertThat(fake.meteringCalls()).isEmpty();
    }

    @Test
    void neitherTheSecretNorATokenIsEverLogged() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        try {
            fake.forbiddenTokens.add("token-1");
            fake.fail(FakeMarketplace.Fault.UNAVAILABLE, FakeMarketplace.Fault.RESET_AFTER_RECORDING);
            try (MarketplaceHttpClient client = client(fake.config().submissionMode(SubmissionMode.SINGLE))) {
                client.submit(TestEvents.events(2));
                assertThat(client.toString()).doesNotContain("s3cr3t");
            }
            try (MarketplaceHttpClient client = client(fake.config().clientSecret("wrong-secret"))) {
                client.submit(TestEvents.events(1));
            }
        } finally {
            root.detachAppender(appender);
        }
        assertThat(appender.list).isNotEmpty();
        for (ILoggingEvent event : appender.list) {
            String line = event.getFormattedMessage() + " " + event.getKeyValuePairs();
            assertThat(line).doesNotContain("s3cr3t").doesNotContain("wrong-secret").doesNotContain("token-1")
                    .doesNotContain("token-2").doesNotContain("Bearer");
        }
    }
}
