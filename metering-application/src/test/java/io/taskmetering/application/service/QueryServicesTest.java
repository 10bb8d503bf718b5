package io.taskmetering.application.service;

import io.taskmetering.application.model.AnomalyQuery;
import io.taskmetering.application.model.ChargeQuery;
import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.application.model.UsageEventQuery;
import io.taskmetering.application.model.UsageEventRecord;
import io.taskmetering.application.testing.TestMetering;
import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.billing.AnomalyType;
import io.taskmetering.domain.billing.GuardrailCaps;
import io.taskmetering.domain.billing.UsageEventStatus;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.SubscriptionRef;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static io.taskmetering.application.service.RecordOutcomeServiceTest.CONTOSO;
import static io.taskmetering.application.service.RecordOutcomeServiceTest.CONTOSO_H14;
import static io.taskmetering.application.testing.OutcomeReportBuilder.aReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryServicesTest {
    private final TestMetering app = new TestMetering();

    @Test
    void chargesAreListedByHourThenCorrelationIdPageByPage() {
        app.record(aReport().withCorrelationId("b").forTask("t1"));
        app.record(aReport().withCorrelationId("a").forTask("t2"));
        app.record(aReport().withCorrelationId("c").forTask("t3").forSubscription("sub-other"));
        app.at("2025-06-01T15:20:00Z").record(aReport().withCorrelationId("0").forTask("t4")
                .occurredAt("2025-06-01T15:15:00Z"));

        Page<Charge> first = app.useCases().charges().listCharges(new ChargeQuery(Set.of(), null, null, null, 2, null));
        Page<Charge> second = app.useCases().charges().listCharges(new ChargeQuery(Set.of(), null, null, null, 2,
                first.nextCursor()));

        assertThat(first.items()).extracting(c -> c.correlationId().value()).containsExactly("a", "b");
        assertThat(second.items()).extracting(c -> c.correlationId().value()).containsExactly("c", "0");
        assertThat(second.nextCursor()).isNull();
        assertThat(app.useCases().charges().listCharges(new ChargeQuery(Set.of(CONTOSO), ChargeState.QUALIFIED,
                Instant.parse("2025-06-01T14:00:00Z"), Instant.parse("2025-06-01T15:00:00Z"), 10, null)).items())
                .extracting(c -> c.correlationId().value()).containsExactly("a", "b");
        assertThatThrownBy(() -> new ChargeQuery(Set.of(), null, null, null, 0, null))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("limit"));
    }

    @Test
    void anomaliesAreListedNewestFirstByType() {
        app.withPolicy(p -> p.withCaps(GuardrailCaps.of(1, 0)));
        app.record(aReport().forTask("t1"));
        app.record(aReport().forTask("t2"));
        app.at("2025-06-01T14:40:00Z").record(aReport().forTask("t3"));
        app.at("2025-06-01T15:10:00Z").closeHours();
        app.marketplace.answerByDefault(SubmissionStatus.REJECTED);
        app.submit();

        Page<Anomaly> caps = app.useCases().charges().listAnomalies(new AnomalyQuery(Set.of(CONTOSO),
                AnomalyType.CAP_EXCEEDED, null, null, 10, null));
        Page<Anomaly> all = app.useCases().charges().listAnomalies(new AnomalyQuery(null, null, null, null, 10, null));

        assertThat(caps.items()).extracting(a -> a.taskId().value()).containsExactly("t3", "t2");
        assertThat(all.items()).extracting(Anomaly::type).containsExactly(AnomalyType.SUBMISSION_REJECTED,
                AnomalyType.CAP_EXCEEDED, AnomalyType.CAP_EXCEEDED);
        assertThat(app.useCases().charges().listAnomalies(new AnomalyQuery(Set.of(SubscriptionRef.of("x")), null, null,
                null, 10, null)).items()).isEmpty();
    }

    @Test
    void usageEventsAreListedOldestHourFirstByStatus() {
        app.record(aReport().forTask("t1"));
        app.at("2025-06-01T15:30:00Z").record(aReport().forTask("t2").occurredAt("2025-06-01T15:20:00Z"));
        app.at("2025-06-01T16:10:00Z").closeHours();
        app.marketplace.script(CONTOSO_H14, SubmissionStatus.RETRY_LATER);
        app.submit();

        Page<UsageEventRecord> pending = app.useCases().usageEvents().listUsageEvents(new UsageEventQuery(Set.of(),
                UsageEventStatus.PENDING, null, null, 10, null));
        Page<UsageEventRecord> all = app.useCases().usageEvents().listUsageEvents(new UsageEventQuery(Set.of(), null,
                null, null, 10, null));

        assertThat(pending.items()).extracting(r -> r.event().key()).containsExactly(CONTOSO_H14);
        assertThat(pending.items().get(0).lastError()).contains("http_503");
        assertThat(all.items()).extracting(UsageEventRecord::status).containsExactly(UsageEventStatus.PENDING,
                UsageEventStatus.ACCEPTED);
    }
}
