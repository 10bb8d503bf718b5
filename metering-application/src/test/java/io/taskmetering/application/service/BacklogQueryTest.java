package io.taskmetering.application.service;

import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.application.port.in.UsageEventQueries.Backlog;
import io.taskmetering.application.port.in.UsageEventQueries;
import io.taskmetering.application.testing.TestMetering;
import org.junit.jupiter.api.Test;

import static io.taskmetering.application.testing.OutcomeReportBuilder.aReport;
import static org.assertj.core.api.Assertions.assertThat;

class BacklogQueryTest {
    private final TestMetering app = new TestMetering();

    @Test
    void countsHoursWaitingForTheMarketplaceAndChargesWaitingForAPerson() {
        app.record(aReport().withCorrelationId("ok"));
        app.record(aReport().withCorrelationId("held").forTask("t2").handedOffToHuman());
        UsageEventQueries backlog = app.useCases().usageEvents();
        assertThat(backlog.backlog()).isEqualTo(new Backlog(0, 1, 0));

        app.at("2025-06-01T15:10:00Z").closeHours();
        assertThat(backlog.backlog().usageEventsPending()).isEqualTo(1);

        app.marketplace.answerByDefault(SubmissionStatus.RETRY_LATER);
        app.submit();
        assertThat(backlog.backlog().usageEventsPending()).as("a retry keeps the hour waiting").isEqualTo(1);

        app.marketplace.answerByDefault(SubmissionStatus.ACCEPTED);
        app.submit();
        assertThat(backlog.backlog()).isEqualTo(new Backlog(0, 1, 0));
    }
}
