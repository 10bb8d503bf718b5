package io.taskmetering.adapter.rest;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.application.port.in.SubmitUsageEventsUseCase.SubmissionRunResult;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.SubscriptionRef;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MeteringMetricsTest {
    private static final BucketKey KEY = new BucketKey(SubscriptionRef.of("sub-1"), Dimension.TASK_COMPLETED,
            BillingHour.parse("2025-06-01T14:00:00Z"));

    @Test
    void aPassedDeadlineCountsAsAnExpiredSubmissionWithADeadlineAnomaly() {
        MeteringMetrics metrics = new MeteringMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));

        metrics.recordSubmissions(new SubmissionRunResult(List.of(
                SubmissionResult.deadlinePassed(KEY, null, "too late", List.of()),
                new SubmissionResult(KEY, SubmissionStatus.EXPIRED, null, null, null, null, "Expired", null, List.of())),
                0, List.of()));

        String scrape = metrics.registry().scrape();
        assertThat(scrape).contains("metering_submissions_total{status=\"expired\"} 2.0")
                .contains("metering_anomalies_total{type=\"submission_deadline\"} 1.0")
                .contains("metering_anomalies_total{type=\"submission_expired\"} 1.0")
                .doesNotContain("deadline_passed");
    }
}
