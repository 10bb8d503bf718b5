package io.taskmetering.adapter.marketplace;

import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.domain.billing.UsageEvent;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import static io.taskmetering.adapter.marketplace.TestEvents.HOUR;
import static io.taskmetering.adapter.marketplace.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /usageEvent}: the 200, 400 and 409 answers of the reference, against the fake and scripted. */
class MarketplaceSingleTest extends MarketplaceTestSupport {

    private SubmissionResult submit(UsageEvent event) {
        try (MarketplaceHttpClient client = client(fake.config().submissionMode(SubmissionMode.SINGLE))) {
            return client.submit(List.of(event)).get(0);
        }
    }

    @Test
    void acceptedKeepsTheUsageEventIdAndMessageTime() {
        SubmissionResult result = submit(event("sub-1", 5));
        assertThat(result.status()).isEqualTo(SubmissionStatus.ACCEPTED);
        assertThat(result.usageEventId()).isEqualTo("evt-1");
        assertThat(result.messageTime()).isEqualTo(TestEvents.NOW);
        assertThat(fake.meteringCalls()).extracting(FakeMarketplace.Call::path).containsExactly("/api/usageEvent");
        assertThat(fake.meteringCalls().get(0).bodyText()).isEqualTo(
                "{\"resourceId\":\"sub-1\",\"quantity\":5,\"dimension\":\"task_completed\","
                        + "\"effectiveStartTime\":\"2025-06-01T14:00:00Z\",\"planId\":\"gold\"}");
    }

    @Test
    void conflictWithTheSameQuantityIsOurEarlierAttempt() {
        submit(event("sub-1", 5));
        SubmissionResult again = submit(event("sub-1", 5));
        assertThat(again.status()).isEqualTo(SubmissionStatus.DUPLICATE_ACCEPTED);
        assertThat(again.usageEventId()).isEqualTo("evt-1");
        assertThat(again.attempts().get(0).httpStatus()).isEqualTo(409);
    }

    @Test
    void conflictWithAnotherQuantityIsADiscrepancy() {
        submit(event("sub-1", 5));
        SubmissionResult other = submit(event("sub-1", 6));
        assertThat(other.status()).isEqualTo(SubmissionStatus.DISCREPANCY);
        assertThat(other.marketplaceQuantity()).isEqualTo(5L);
        assertThat(other.errorMessage()).contains("holds quantity 5").contains("we sent 6");
        assertThat(fake.ledger.values().iterator().next().quantity()).isEqualTo(new BigDecimal("5"));
    }

    @Test
    void conflictUnderAnotherPlanIsADiscrepancyEvenWithTheSameQuantity() {
        submit(event("sub-1", "task_completed", HOUR, 5, "gold"));
        SubmissionResult other = submit(event("sub-1", "task_completed", HOUR, 5, "silver"));
        assertThat(other.status()).isEqualTo(SubmissionStatus.DISCREPANCY);
        assertThat(other.marketplaceQuantity()).isEqualTo(5L);
    }

    @Test
    void conflictWithoutTheAcceptedMessageIsADiscrepancyOfUnknownQuantity() {
        fake.script(FakeMarketplace.json(409, "{\"message\":\"This usage event already exist.\",\"code\":\"Conflict\"}"));
        SubmissionResult result = submit(event("sub-1", 5));
        assertThat(result.status()).isEqualTo(SubmissionStatus.DISCREPANCY);
        assertThat(result.marketplaceQuantity()).isNull();
    }

    @Test
    void aFractionalHeldQuantityIsReportedInTheMessage() {
        fake.script(FakeMarketplace.json(409, "{\"additionalInfo\":{\"acceptedMessage\":{\"usageEventId\":\"u\","
                + "\"status\":\"Duplicate\",\"quantity\":2.5}},\"code\":\"Conflict\"}"));
        SubmissionResult result = submit(event("sub-1", 2));
        assertThat(result.status()).isEqualTo(SubmissionStatus.DISCREPANCY);
        assertThat(result.marketplaceQuantity()).isNull();
        assertThat(result.errorMessage()).contains("2.5");
    }

    @Test
    void badRequestOnEffectiveStartTimeIsExpired() {
        // the Marketplace refuses future hours as expired too
        SubmissionResult result = submit(event("sub-1", "task_completed", HOUR.plus(Duration.ofHours(3)), 1, "gold"));
        assertThat(result.status()).isEqualTo(SubmissionStatus.EXPIRED);
        assertThat(result.errorCode()).isEqualTo("BadArgument");
        assertThat(result.errorMessage()).contains("effectiveStartTime");
        assertThat(result.attempts()).hasSize(1);
    }

    @Test
    void anyOtherBadRequestIsRejected() {
        fake.unknownResources.add("sub-gone");
        SubmissionResult result = submit(event("sub-gone", 1));
        assertThat(result.status()).isEqualTo(SubmissionStatus.REJECTED);
        assertThat(result.errorCode()).isEqualTo("ResourceNotFound");
        assertThat(result.errorMessage()).contains("resourceId");
    }

    @Test
    void aBadRequestWithoutJsonIsRejectedWithItsText() {
        fake.script(FakeMarketplace.json(400, "not json at all"));
        SubmissionResult result = submit(event("sub-1", 1));
        assertThat(result.status()).isEqualTo(SubmissionStatus.REJECTED);
        assertThat(result.errorCode()).isEqualTo("http_400");
        assertThat(result.errorMessage()).isEqualTo("not json at all");
    }

    @Test
    void anUnknownStatusStringIsRejected() {
        fake.script(FakeMarketplace.json(200, "{\"status\":\"Pondering\",\"resourceId\":\"sub-1\"}"));
        SubmissionResult result = submit(event("sub-1", 1));
        assertThat(result.status()).isEqualTo(SubmissionStatus.REJECTED);
        assertThat(result.errorCode()).isEqualTo("UnknownStatus");
    }

    @Test
    void anUnreadable200IsRetriedBecauseItsFateIsUnknown() {
        fake.script(FakeMarketplace.json(200, "<html>gateway</html>"));
        SubmissionResult result = submit(event("sub-1", 1));
        assertThat(result.status()).isEqualTo(SubmissionStatus.ACCEPTED);
        assertThat(result.attempts()).extracting(a -> a.outcome()).containsExactly("unreadable_response", "accepted");
    }
}
