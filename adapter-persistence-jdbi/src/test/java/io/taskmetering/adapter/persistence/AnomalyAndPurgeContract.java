package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.AnomalyQuery;
import io.taskmetering.application.model.SubmissionAttempt;
import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.billing.AnomalyType;
import io.taskmetering.domain.billing.CapType;
import io.taskmetering.domain.billing.CapVerdict;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.common.TaskId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.taskmetering.adapter.persistence.Fixtures.DIM;
import static io.taskmetering.adapter.persistence.Fixtures.HOUR;
import static io.taskmetering.adapter.persistence.Fixtures.PLAN;
import static io.taskmetering.adapter.persistence.Fixtures.SUB;
import static io.taskmetering.adapter.persistence.Fixtures.SUB2;
import static io.taskmetering.adapter.persistence.Fixtures.T0;
import static io.taskmetering.adapter.persistence.Fixtures.bucket;
import static io.taskmetering.adapter.persistence.Fixtures.cid;
import static io.taskmetering.adapter.persistence.Fixtures.decision;
import static io.taskmetering.adapter.persistence.Fixtures.notBillable;
import static io.taskmetering.adapter.persistence.Fixtures.qualified;
import static io.taskmetering.adapter.persistence.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;

/** AnomalyPort + RetentionPurgePort. */
abstract class AnomalyAndPurgeContract extends StoreContract {

    @Test
    void storesAnomaliesAndListsThemNewestFirst() {
        List<Anomaly> anomalies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            anomalies.add(Anomaly.capExceeded("cap-" + i, i % 2 == 0 ? SUB : SUB2, new CapVerdict.OverCap(CapType.HOURLY, 10, 11),
                    new TaskId("t-" + i), cid("c-" + i), DIM, HOUR, T0.plusSeconds(i)));
        }
        anomalies.add(Anomaly.forHour("sub-x", AnomalyType.SUBMISSION_REJECTED, bucket(SUB, HOUR), "rejected", T0.plusSeconds(10)));
        ports.anomalies().saveAnomalies(anomalies);
        ports.anomalies().saveAnomalies(anomalies.subList(0, 1)); // idempotent per id

        var first = ports.anomalies().findAnomalies(new AnomalyQuery(Set.of(), null, null, null, 4, null));
        assertThat(first.items()).extracting(Anomaly::id).containsExactly("sub-x", "cap-4", "cap-3", "cap-2");
        var rest = ports.anomalies().findAnomalies(new AnomalyQuery(Set.of(), null, null, null, 4, first.nextCursor()));
        assertThat(rest.items()).extracting(Anomaly::id).containsExactly("cap-1", "cap-0");
        assertThat(rest.nextCursor()).isNull();
        assertThat(rest.items().get(1)).isEqualTo(anomalies.get(0));
        assertThat(ports.anomalies().findAnomalies(new AnomalyQuery(Set.of(SUB), AnomalyType.CAP_EXCEEDED, T0.plusSeconds(1),
                T0.plusSeconds(4), 10, null)).items()).extracting(Anomaly::id).containsExactly("cap-2");
        assertThat(ports.anomalies().findAnomalies(new AnomalyQuery(Set.of(), AnomalyType.SUBMISSION_REJECTED, null, null,
                10, null)).items().get(0)).isEqualTo(anomalies.get(5));
    }

    @Test
    void purgeTouchesOnlyExpiredMetricsSettledAttemptsAndUnchargedDecisions() {
        Instant cutoff = T0.plusSeconds(3600);
        // usage records either side of the cutoff
        ports.usageRecords().insertUsageRecords(List.of(usage("c", "old", "a", 1, 1, cutoff.minusNanos(1000)),
                usage("c", "new", "a", 1, 1, cutoff)));
        // decisions (received at T0 + 6 s, before the cutoff): one charged, one never charged
        ports.saveDecisions().insertDecisions(notBillable(List.of(decision("charged", "t-1"), decision("uncharged", "t-2"))));
        var charge = qualified("charged", "t-1");
        ports.saveCharges().insertCharges(List.of(charge));
        ports.ledger().append(List.of(LedgerEntry.recorded(charge, "system", "ok", "v")));
        // an accepted hour and a pending one, each with an old attempt
        ports.saveUsageEvents().insertUsageEvents(List.of(new UsageEvent(bucket(SUB, HOUR), 1, PLAN),
                new UsageEvent(bucket(SUB2, HOUR), 1, PLAN)), T0);
        SubmissionAttempt old = new SubmissionAttempt(1, "r", "c", T0, 200, "accepted", null);
        ports.recordSubmissions().recordSubmission(new SubmissionResult(bucket(SUB, HOUR), SubmissionStatus.ACCEPTED, "{}",
                "u-1", T0, null, null, null, List.of(old)), "n", T0);
        ports.recordSubmissions().recordSubmission(new SubmissionResult(bucket(SUB2, HOUR), SubmissionStatus.RETRY_LATER, "{}",
                null, null, null, "http_503", "x", List.of(new SubmissionAttempt(1, "r", "c", T0, 503, "http_503", null))), "n", T0);

        var counts = ports.unitOfWork().inTransaction(() -> ports.retentionPurge().purgeBefore(cutoff, 100));
        assertThat(counts.usageRecords()).isEqualTo(1);
        assertThat(counts.decisions()).isEqualTo(1);
        assertThat(counts.submissionAttempts()).isEqualTo(1);
        assertThat(ports.loadDecisions().findDecision(cid("charged"))).isPresent();
        assertThat(ports.loadDecisions().findDecision(cid("uncharged"))).isEmpty();
        assertThat(ports.loadDecisions().findOutcomes(List.of(cid("uncharged")))).isEmpty();
        assertThat(rows("charges")).isEqualTo(1);
        assertThat(rows("ledger_entries")).isEqualTo(1);
        assertThat(ports.loadUsageEvents().findAttempts(bucket(SUB2, HOUR))).hasSize(1);
        assertThat(ports.loadUsageEvents().findAttempts(bucket(SUB, HOUR))).isEmpty();
        assertThat(rows("usage_events")).isEqualTo(2);

        // everything, with a cutoff before time began
        assertThat(ports.retentionPurge().purgeBefore(Instant.MIN, 100).total()).isZero();
    }

    @Test
    void aPurgeDeletesAtMostItsLimitOfEachKindOldestFirst() {
        Instant cutoff = T0.plusSeconds(3600);
        List<io.taskmetering.domain.usage.UsageRecord> records = new java.util.ArrayList<>();
        List<io.taskmetering.application.model.StoredDecision> decisions = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            records.add(usage("c", "old-" + i, "a", 1, 1, cutoff.minusSeconds(100 - i)));
            decisions.add(decision("uncharged-" + i, "t-" + i));
        }
        ports.usageRecords().insertUsageRecords(records);
        ports.saveDecisions().insertDecisions(notBillable(decisions));

        var first = ports.unitOfWork().inTransaction(() -> ports.retentionPurge().purgeBefore(cutoff, 2));
        assertThat(first.usageRecords()).isEqualTo(2);
        assertThat(first.decisions()).isEqualTo(2);
        assertThat(ports.usageRecords().findUsageRecordsOfTask(new io.taskmetering.domain.common.TaskId("old-0"),
                java.util.Set.of(new io.taskmetering.domain.common.ConsumerId("c")))).as("the oldest went first").isEmpty();
        assertThat(ports.loadDecisions().findOutcomes(decisions.stream().map(d -> d.correlationId()).toList()))
                .as("outcomes go with their decisions").hasSize(3);

        var second = ports.retentionPurge().purgeBefore(cutoff, 2);
        var third = ports.retentionPurge().purgeBefore(cutoff, 2);
        assertThat(second.total() + third.total()).isEqualTo(6);
        assertThat(third.usageRecords()).isEqualTo(1);
        assertThat(rows("usage_records")).isZero();
        assertThat(rows("decisions")).isZero();
    }
}
