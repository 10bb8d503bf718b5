package io.taskmetering.application.service;

import io.taskmetering.application.port.out.RetentionPurgePort.PurgeCounts;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.application.testing.TestMetering;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.usage.RetentionPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.taskmetering.application.service.RecordOutcomeServiceTest.CONTOSO_H14;
import static io.taskmetering.application.testing.OutcomeReportBuilder.aReport;
import static io.taskmetering.domain.testdata.UsageRecordBuilder.aUsageRecord;
import static org.assertj.core.api.Assertions.assertThat;

class PurgeExpiredServiceTest {
    private final TestMetering app = new TestMetering().withRetention(RetentionPolicy.days(30));

    @Test
    void purgesUsageAttemptsAndNeverChargedDecisionsButNeverBillingFacts() {
        app.record(aReport().withCorrelationId("charged").withUsage(1, 2, 3, 4));
        app.record(aReport().withCorrelationId("failed").forTask("t2").failed());
        app.record(aReport().withCorrelationId("dup"));
        app.record(aReport().withCorrelationId("held").forTask("t3").handedOffToHuman());
        app.at("2025-06-01T15:10:00Z").closeHours();
        app.submit();
        var ledger = app.store.ledger();
        var charges = app.store.charges();
        app.at("2025-07-01T16:00:00Z");
        app.useCases().recordUsage().record(aUsageRecord().withTaskId("recent")
                .at("2025-07-01T14:00:00Z").build());

        PurgeCounts counts = app.useCases().purgeExpired().purgeExpired();

        assertThat(counts).isEqualTo(new PurgeCounts(1, 2, 1, 0));
        assertThat(counts.total()).isEqualTo(4);
        assertThat(app.store.findDecision(CorrelationId.of("failed"))).isEmpty();
        assertThat(app.store.findDecision(CorrelationId.of("dup"))).isEmpty();
        assertThat(app.store.findDecision(CorrelationId.of("charged"))).isPresent();
        assertThat(app.store.findDecision(CorrelationId.of("held"))).as("an open review is kept").isPresent();
        assertThat(app.store.usageRecords()).extracting(r -> r.taskId().value()).containsExactly("recent");
        assertThat(app.store.ledger()).isEqualTo(ledger);
        assertThat(app.store.charges()).isEqualTo(charges);
        assertThat(app.store.findAttempts(CONTOSO_H14)).isEmpty();
        assertThat(app.store.outboxRow(CONTOSO_H14)).as("the usage event itself is a billing fact").isNotNull();
    }

    @Test
    void attemptsOfAnHourNotYetAcceptedAreKept() {
        app.record(aReport());
        app.at("2025-06-01T15:10:00Z").closeHours();
        app.marketplace.answerByDefault(SubmissionStatus.RETRY_LATER);
        app.submit();
        app.clock.advance(Duration.ofDays(31));

        PurgeCounts counts = app.useCases().purgeExpired().purgeExpired();

        assertThat(counts.submissionAttempts()).isZero();
        assertThat(app.store.findAttempts(CONTOSO_H14)).hasSize(1);
    }

    @Test
    void nothingYoungerThanTheTtlIsPurged() {
        app.record(aReport().failed().withUsage(1, 1, 1, 1));
        app.at("2025-07-01T14:05:00Z"); // exactly 30 days after the usage record: not strictly older

        assertThat(app.useCases().purgeExpired().purgeExpired()).isEqualTo(new PurgeCounts(0, 0, 0, 0));
        assertThat(app.store.decisions()).hasSize(1);
    }

    @Test
    void aLargePurgeRunsInSeveralTransactionsUntilNothingExpiredIsLeft() {
        for (int i = 0; i < 5; i++) {
            app.record(aReport().withCorrelationId("failed-" + i).forTask("t-" + i).failed().withUsage(1, 1, 1, 1));
        }
        app.at("2025-07-02T00:00:00Z");
        PurgeExpiredService twoAtATime = new PurgeExpiredService(app.store, app.store, RetentionPolicy.days(30), app.clock, 2);

        PurgeCounts counts = twoAtATime.purgeExpired();

        assertThat(counts).isEqualTo(new PurgeCounts(5, 5, 0, 0));
        assertThat(app.store.decisions()).isEmpty();
        assertThat(app.store.usageRecords()).isEmpty();
    }
}
