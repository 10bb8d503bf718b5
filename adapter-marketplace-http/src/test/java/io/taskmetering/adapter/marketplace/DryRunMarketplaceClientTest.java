package io.taskmetering.adapter.marketplace;

import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.domain.billing.UsageEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DryRunMarketplaceClientTest extends MarketplaceTestSupport {

    @Test
    void recordsExactlyWhatWouldHaveBeenSentAndCallsNothing() {
        List<UsageEvent> events = TestEvents.events(30);
        List<SubmissionResult> results = new DryRunMarketplaceClient().submit(events);

        assertThat(results).hasSize(30).allMatch(r -> r.status() == SubmissionStatus.DRY_RUN)
                .allMatch(r -> r.attempts().isEmpty() && r.usageEventId() == null);
        assertThat(results).extracting(SubmissionResult::key).containsExactlyElementsOf(events.stream().map(UsageEvent::key).toList());
        assertThat(results.get(0).requestBody()).isEqualTo("{\"resourceId\":\"00000000-0000-4000-8000-000000000000\","
                + "\"quantity\":1,\"dimension\":\"task_completed\",\"effectiveStartTime\":\"2025-06-01T14:00:00Z\","
                + "\"planId\":\"gold\"}");
        assertThat(fake.calls).isEmpty();
        assertThat(SubmissionStatus.DRY_RUN.eventStatus().invoiced()).isTrue();
    }

    @Test
    void theDryRunPayloadIsByteForByteWhatTheLiveClientSends() {
        List<UsageEvent> events = TestEvents.events(3);
        List<SubmissionResult> dry = new DryRunMarketplaceClient().submit(events);
        try (MarketplaceHttpClient live = client(fake.config().submissionMode(SubmissionMode.SINGLE))) {
            List<SubmissionResult> sent = live.submit(events);
            assertThat(sent).extracting(SubmissionResult::requestBody)
                    .containsExactlyElementsOf(dry.stream().map(SubmissionResult::requestBody).toList());
        }
        assertThat(fake.meteringCalls()).extracting(FakeMarketplace.Call::bodyText)
                .containsExactlyElementsOf(dry.stream().map(SubmissionResult::requestBody).toList());
    }
}
