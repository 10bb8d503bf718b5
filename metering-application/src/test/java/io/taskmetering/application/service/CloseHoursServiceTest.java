package io.taskmetering.application.service;

import io.taskmetering.application.port.in.CloseHoursCommand;
import io.taskmetering.application.port.in.CloseHoursUseCase.CloseHoursResult;
import io.taskmetering.application.testing.TestMetering;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.HourBucket;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.billing.UsageEventStatus;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.SubscriptionRef;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.taskmetering.application.service.RecordOutcomeServiceTest.CONTOSO_H14;
import static io.taskmetering.application.service.RecordOutcomeServiceTest.CONTOSO_H15;
import static io.taskmetering.application.testing.OutcomeReportBuilder.aReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloseHoursServiceTest {
    private final TestMetering app = new TestMetering();

    private void contoso() {
        app.recordBatch(
                aReport().withCorrelationId("c1").forTask("task-001"),
                aReport().withCorrelationId("c2").forTask("task-002"),
                aReport().withCorrelationId("c3").forTask("task-003").failed(),
                aReport().withCorrelationId("c4").forTask("task-001"),
                aReport().withCorrelationId("c5").forTask("task-005").withEmptyResult());
    }

    @Test
    void nothingClosesBeforeTheGraceHasPassed() {
        contoso();
        app.at("2025-06-01T15:09:59Z");

        CloseHoursResult result = app.closeHours();

        assertThat(result.events()).isEmpty();
        assertThat(result.emptyBuckets()).isEmpty();
        assertThat(app.store.bucket(CONTOSO_H14).closed()).isFalse();
        assertThat(app.store.outbox()).isEmpty();
    }

    @Test
    void theContosoHourClosesIntoOneUsageEventOfQuantityTwoInTheOutbox() {
        contoso();
        app.at("2025-06-01T15:10:00Z");

        CloseHoursResult result = app.closeHours();

        UsageEvent event = new UsageEvent(CONTOSO_H14, 2, PlanId.of("basic"));
        assertThat(result.events()).containsExactly(event);
        assertThat(app.store.bucket(CONTOSO_H14)).isEqualTo(new HourBucket(CONTOSO_H14, 2, true));
        assertThat(app.store.outboxRow(CONTOSO_H14).status()).isEqualTo(UsageEventStatus.PENDING);
        assertThat(app.store.outboxRow(CONTOSO_H14).event()).isEqualTo(event);
        assertThat(app.store.outboxRow(CONTOSO_H14).createdAt()).isEqualTo(Instant.parse("2025-06-01T15:10:00Z"));
        assertThat(app.marketplace.sent()).as("closing never calls the Marketplace").isEmpty();
    }

    @Test
    void anHourWhoseChargesWereAllReleasedClosesWithoutAnEvent() {
        app.record(aReport().withCorrelationId("c1"));
        app.dispute("c1");
        app.at("2025-06-01T15:10:00Z");

        CloseHoursResult result = app.closeHours();

        assertThat(result.events()).isEmpty();
        assertThat(result.emptyBuckets()).containsExactly(CONTOSO_H14);
        assertThat(app.store.bucket(CONTOSO_H14)).isEqualTo(new HourBucket(CONTOSO_H14, 0, true));
        assertThat(app.store.outbox()).isEmpty();
    }

    @Test
    void closingIsIdempotent() {
        contoso();
        app.at("2025-06-01T15:10:00Z").closeHours();
        var outbox = app.store.outbox();
        long commits = app.store.commits();

        CloseHoursResult again = app.at("2025-06-01T17:00:00Z").closeHours();

        assertThat(again.events()).isEmpty();
        assertThat(again.emptyBuckets()).isEmpty();
        assertThat(app.store.outbox()).isEqualTo(outbox);
        assertThat(app.store.commits()).as("nothing due, no transaction").isEqualTo(commits);
    }

    @Test
    void closesAtMostMaxBucketsPerRunOldestFirst() {
        app.at("2025-06-01T14:30:00Z").record(aReport().forTask("t14").occurredAt("2025-06-01T14:00:00Z"));
        app.at("2025-06-01T15:30:00Z").record(aReport().forTask("t15").occurredAt("2025-06-01T15:00:00Z"));
        app.at("2025-06-01T16:30:00Z").record(aReport().forTask("t16").occurredAt("2025-06-01T16:00:00Z"));
        app.at("2025-06-01T17:10:00Z");

        CloseHoursResult first = app.useCases().closeHours().closeDueHours(new CloseHoursCommand(1));
        CloseHoursResult second = app.useCases().closeHours().closeDueHours(new CloseHoursCommand(5));

        assertThat(first.events()).extracting(UsageEvent::key).containsExactly(CONTOSO_H14);
        assertThat(second.events()).extracting(e -> e.key().hour()).containsExactly(CONTOSO_H15.hour(),
                BillingHour.parse("2025-06-01T16:00:00Z"));
        assertThatThrownBy(() -> new CloseHoursCommand(0))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("max_buckets"));
    }

    @Test
    void eachSubscriptionAndDimensionGetsItsOwnEventWithItsPlan() {
        app.record(aReport().forTask("t1"));
        app.record(aReport().forTask("t1").forSubscription("sub-fabrikam").withPlan("pro"));
        app.record(aReport().forTask("t2").withDimension("premium_task"));
        app.at("2025-06-01T15:10:00Z");

        CloseHoursResult result = app.closeHours();

        BucketKey fabrikam = new BucketKey(SubscriptionRef.of("sub-fabrikam"), Dimension.TASK_COMPLETED,
                CONTOSO_H14.hour());
        BucketKey premium = new BucketKey(CONTOSO_H14.subscription(), Dimension.of("premium_task"), CONTOSO_H14.hour());
        assertThat(result.events()).containsExactlyInAnyOrder(new UsageEvent(CONTOSO_H14, 1, PlanId.of("basic")),
                new UsageEvent(premium, 1, PlanId.of("basic")), new UsageEvent(fabrikam, 1, PlanId.of("pro")));
        assertThat(app.store.outbox()).hasSize(3);
    }

    @Test
    void aFailedCloseLeavesTheHourOpenForTheNextRun() {
        contoso();
        app.at("2025-06-01T15:10:00Z");
        app.store.failNext("insertUsageEvents", new IllegalStateException("db down"));

        assertThatThrownBy(app::closeHours).hasMessage("db down");
        assertThat(app.store.bucket(CONTOSO_H14).closed()).isFalse();

        assertThat(app.closeHours().events()).hasSize(1);
    }
}
