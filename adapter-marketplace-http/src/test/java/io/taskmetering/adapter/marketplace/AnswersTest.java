package io.taskmetering.adapter.marketplace;

import io.taskmetering.adapter.marketplace.AttemptOutcome.Answered;
import io.taskmetering.adapter.marketplace.AttemptOutcome.Attempt;
import io.taskmetering.adapter.marketplace.AttemptOutcome.BatchRefused;
import io.taskmetering.adapter.marketplace.AttemptOutcome.Transient;
import io.taskmetering.adapter.marketplace.AttemptOutcome.Unauthorized;
import io.taskmetering.adapter.marketplace.AttemptOutcome.Unexpected;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.domain.billing.UsageEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static io.taskmetering.adapter.marketplace.TestEvents.HOUR;
import static io.taskmetering.adapter.marketplace.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/** The status table, without a server: what each HTTP answer means for the request that got it. */
class AnswersTest {
    private static final Attempt ATTEMPT = new Attempt("req-1", "corr-1", TestEvents.NOW, 200);
    private final UsageEvent first = event("sub-1", 1);
    private final UsageEvent second = event("sub-2", 2);
    private final List<PendingEvent> batch = List.of(pending(first), pending(second));

    private static PendingEvent pending(UsageEvent event) {
        return new PendingEvent(event, HOUR.plus(Duration.ofHours(23)));
    }

    private static String item(UsageEvent e, String resource, String status) {
        return "{\"resourceId\":\"" + resource + "\",\"quantity\":" + e.quantity() + ",\"dimension\":\"" + e.dimension()
                + "\",\"effectiveStartTime\":\"" + e.effectiveStartTime() + "\",\"planId\":\"" + e.planId().value()
                + "\",\"status\":\"" + status + "\"}";
    }

    @Test
    void aBatch200IsMatchedByKeyIgnoringCaseAndAMissingItemIsRetried() {
        String body = "{\"result\":[" + item(second, "SUB-2", "Accepted") + "]}";

        AttemptOutcome outcome = Answers.classify(Endpoint.BATCH, batch, ATTEMPT, "t", 200, body, null);

        assertThat(outcome).isInstanceOf(Answered.class);
        Answered answered = (Answered) outcome;
        assertThat(answered.outcome()).isEqualTo("batch_200");
        assertThat(answered.verdicts().get(second.key()).status()).isEqualTo(SubmissionStatus.ACCEPTED);
        assertThat(answered.verdicts().get(first.key()).terminal()).isFalse();
        assertThat(answered.verdicts().get(first.key()).outcome()).isEqualTo("missing_item");
        assertThat(answered.hasRetryableItems()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 503})
    void throttlingAndServerErrorsAreTransientAndKeepRetryAfter(int code) {
        AttemptOutcome outcome = Answers.classify(Endpoint.BATCH, batch, ATTEMPT, "t", code, "", Duration.ofSeconds(7));

        assertThat(outcome).isInstanceOf(Transient.class);
        Transient t = (Transient) outcome;
        assertThat(t.outcome()).isEqualTo("http_" + code);
        assertThat(t.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(t.detail()).isEqualTo("Retry-After 7000 ms; ");
        assertThat(t.mayHaveLanded()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void aRefusedTokenIsUnauthorizedAndNamesTheTokenToRefresh(int code) {
        AttemptOutcome outcome = Answers.classify(Endpoint.SINGLE, batch.subList(0, 1), ATTEMPT, "token-9", code,
                "{\"message\":\"no\"}", null);

        assertThat(outcome).isInstanceOf(Unauthorized.class);
        assertThat(((Unauthorized) outcome).token()).isEqualTo("token-9");
        assertThat(((Unauthorized) outcome).detail()).isEqualTo("no");
    }

    @Test
    void aBatch400IsRefusedAsAWholeButASingle400IsAnAnswerAboutTheEvent() {
        String body = "{\"message\":\"bad\",\"code\":\"BadArgument\"}";

        assertThat(Answers.classify(Endpoint.BATCH, batch, ATTEMPT, "t", 400, body, null)).isInstanceOf(BatchRefused.class);
        AttemptOutcome single = Answers.classify(Endpoint.SINGLE, batch.subList(0, 1), ATTEMPT, "t", 400, body, null);
        assertThat(single).isInstanceOf(Answered.class);
        assertThat(((Answered) single).verdicts().get(first.key()).status()).isEqualTo(SubmissionStatus.REJECTED);
    }

    @Test
    void anUnreadable200IsTransientBecauseItsFateIsUnknown() {
        AttemptOutcome single = Answers.classify(Endpoint.SINGLE, batch.subList(0, 1), ATTEMPT, "t", 200, "<html>", null);
        AttemptOutcome inBatch = Answers.classify(Endpoint.BATCH, batch, ATTEMPT, "t", 200, "{\"count\":2}", null);

        assertThat(List.of(single, inBatch)).allSatisfy(o -> {
            assertThat(o).isInstanceOf(Transient.class);
            assertThat(o.outcome()).isEqualTo("unreadable_response");
        });
    }

    @Test
    void aStatusOutsideTheTableIsUnexpected() {
        AttemptOutcome outcome = Answers.classify(Endpoint.SINGLE, batch.subList(0, 1), ATTEMPT, "t", 404,
                "{\"message\":\"not here\"}", null);

        assertThat(outcome).isInstanceOf(Unexpected.class);
        assertThat(outcome.outcome()).isEqualTo("http_404");
    }
}
