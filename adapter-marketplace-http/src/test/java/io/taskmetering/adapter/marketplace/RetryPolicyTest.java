package io.taskmetering.adapter.marketplace;

import io.github.resilience4j.retry.Retry;
import io.taskmetering.adapter.marketplace.AttemptOutcome.Answered;
import io.taskmetering.adapter.marketplace.AttemptOutcome.Attempt;
import io.taskmetering.adapter.marketplace.AttemptOutcome.Transient;
import io.taskmetering.adapter.marketplace.Verdicts.Verdict;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.domain.billing.BucketKey;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.taskmetering.adapter.marketplace.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/** Waits and limits of one request's retries, without a server or a clock. */
class RetryPolicyTest {
    private static final Attempt ATTEMPT = new Attempt("req", "corr", TestEvents.NOW, 503);
    private static final BucketKey KEY = event("sub-1", 1).key();

    private static MarketplaceConfig.Builder config() {
        return MarketplaceConfig.builder().tenantId("t").clientId("c").clientSecret("s").jitter(0)
                .initialBackoff(Duration.ofSeconds(1)).backoffMultiplier(2).maxBackoff(Duration.ofSeconds(30));
    }

    private static Transient unavailable(Duration retryAfter) {
        return new Transient(ATTEMPT, "http_503", null, retryAfter, true);
    }

    @Test
    void transientFailuresBackOffExponentiallyThenGiveUpAtMaxAttempts() {
        Retry.AsyncContext<AttemptOutcome> context = new RetryPolicy(config().maxAttempts(4).build()).transientFailures();

        assertThat(context.onResult(unavailable(null))).isEqualTo(1000);
        assertThat(context.onResult(unavailable(null))).isEqualTo(2000);
        assertThat(context.onResult(unavailable(null))).isEqualTo(4000);
        assertThat(context.onResult(unavailable(null))).as("the fourth attempt was the last").isEqualTo(-1);
    }

    @Test
    void retryAfterIsAFloorNotACeiling() {
        RetryPolicy policy = new RetryPolicy(config().build());

        assertThat(policy.transientFailures().onResult(unavailable(Duration.ofSeconds(9)))).isEqualTo(9000);
        assertThat(policy.transientFailures().onResult(unavailable(Duration.ofMillis(10)))).isEqualTo(1000);
    }

    @Test
    void eachRequestCountsItsOwnAttempts() {
        RetryPolicy policy = new RetryPolicy(config().maxAttempts(2).build());

        assertThat(policy.transientFailures().onResult(unavailable(null))).isEqualTo(1000);
        assertThat(policy.transientFailures().onResult(unavailable(null))).isEqualTo(1000);
    }

    @Test
    void onlyAnswersWithErrorItemsAreRetriedAsItemErrors() {
        Retry.AsyncContext<AttemptOutcome> context = new RetryPolicy(config().itemErrorMaxAttempts(2).build()).itemErrors();
        Answered rejected = new Answered(ATTEMPT, "batch_200",
                Map.of(KEY, Verdict.of(SubmissionStatus.REJECTED, "InvalidQuantity", null, "rejected_invalidquantity")));
        Answered withError = new Answered(ATTEMPT, "batch_200", Map.of(KEY, Verdict.retryItem("item_error", "try again")));

        assertThat(context.onResult(rejected)).isEqualTo(-1);
        assertThat(context.onResult(withError)).isEqualTo(1000);
        assertThat(context.onResult(withError)).isEqualTo(-1);
    }
}
