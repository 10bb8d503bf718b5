package io.taskmetering.application.service;

import io.taskmetering.application.model.InsightQuery;
import io.taskmetering.application.port.in.InsightQueries;
import io.taskmetering.application.port.in.InsightQueries.GroupBy;
import io.taskmetering.application.port.in.InsightQueries.InsightGroup;
import io.taskmetering.application.port.in.InsightQueries.InsightHour;
import io.taskmetering.application.testing.TestMetering;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.insight.InsightCounts;
import io.taskmetering.domain.insight.Rate;
import io.taskmetering.domain.testdata.EvidenceBuilder;
import io.taskmetering.domain.evaluation.TraceSpan;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.taskmetering.application.testing.OutcomeReportBuilder.aReport;
import static org.assertj.core.api.Assertions.assertThat;

class InsightQueryServiceTest {
    private static final Instant H14 = Instant.parse("2025-06-01T14:00:00Z");
    private static final Instant DAY = Instant.parse("2025-06-01T00:00:00Z");
    private static final SubscriptionRef CONTOSO = SubscriptionRef.of("sub-contoso-001");
    private static final SubscriptionRef FABRIKAM = SubscriptionRef.of("sub-fabrikam-001");

    private final TestMetering app = new TestMetering();

    /** The Contoso hour: two billable, a failure, a retry of task-001 and an empty result. */
    private void contoso() {
        app.recordBatch(
                aReport().withCorrelationId("c1").forTask("task-001").inWorkflow("wf-1", "1.0"),
                aReport().withCorrelationId("c2").forTask("task-002").inWorkflow("wf-1", "1.1"),
                aReport().withCorrelationId("c3").forTask("task-003").failed(),
                aReport().withCorrelationId("c4").forTask("task-001").inWorkflow("wf-1", "1.0"),
                aReport().withCorrelationId("c5").forTask("task-005").withEmptyResult());
    }

    private InsightQueries insights() {
        return app.useCases().insights();
    }

    private static InsightQuery window(Set<SubscriptionRef> subscriptions, AgentId agent) {
        return new InsightQuery(subscriptions, agent, DAY, DAY.plusSeconds(86_400));
    }

    @Test
    void theContosoHourReadsFiveAttemptedTwoBillableOneDuplicateTwoNotBillable() {
        contoso();

        List<InsightHour> hours = insights().hours(window(Set.of(), null));

        assertThat(hours).hasSize(1);
        InsightHour hour = hours.get(0);
        assertThat(hour.subscription()).isEqualTo(CONTOSO);
        assertThat(hour.hour()).isEqualTo(H14);
        InsightCounts c = hour.counts();
        assertThat(c.attempted()).isEqualTo(5);
        assertThat(c.billable()).isEqualTo(2);
        assertThat(c.duplicates()).isEqualTo(1);
        assertThat(c.notBillable()).isEqualTo(2);
        assertThat(c.notBillableByGate()).isEqualTo(Map.of("terminal_success", 1L, "output_validation", 1L));
        assertThat(c.heldForReview()).isZero();
        assertThat(c.disputed()).isZero();
        assertThat(c.reversed()).isZero();
        assertThat(hour.quantitySubmitted()).as("no usage event yet").isNull();
        assertThat(hour.quantityAccepted()).isNull();
    }

    @Test
    void quantitiesAppearWhenTheHourIsClosedAndAcceptedOnceTheMarketplaceAnswered() {
        contoso();
        app.at("2025-06-01T15:10:00Z").closeHours();

        InsightHour closed = insights().hours(window(Set.of(), null)).get(0);
        assertThat(closed.quantitySubmitted()).isEqualTo(2);
        assertThat(closed.quantityAccepted()).as("still pending").isNull();

        app.submit();
        InsightHour submitted = insights().hours(window(Set.of(), null)).get(0);
        assertThat(submitted.quantitySubmitted()).isEqualTo(2);
        assertThat(submitted.quantityAccepted()).isEqualTo(2);
        assertThat(insights().hours(window(Set.of(), AgentId.of("agent-alpha"))).get(0).quantitySubmitted())
                .as("usage events are not per agent").isNull();
    }

    @Test
    void reviewDisputeAndReversalAreCountedByTheChargesCurrentState() {
        app.recordBatch(
                aReport().withCorrelationId("h1").forTask("task-h1").handedOffToHuman(),
                aReport().withCorrelationId("d1").forTask("task-d1"),
                aReport().withCorrelationId("r1").forTask("task-r1"),
                aReport().withCorrelationId("q1").forTask("task-q1"));
        app.dispute("d1");
        app.dispute("r1");
        app.reverse("r1");

        InsightCounts c = insights().hours(window(Set.of(), null)).get(0).counts();

        assertThat(c.charges()).isEqualTo(4);
        assertThat(c.heldForReview()).isEqualTo(1);
        assertThat(c.disputed()).isEqualTo(1);
        assertThat(c.reversed()).isEqualTo(1);
        assertThat(c.review()).isEqualTo(new Rate(1, 4));
        assertThat(c.dispute()).isEqualTo(new Rate(2, 4));
        assertThat(c.reversal()).isEqualTo(new Rate(1, 4));
    }

    @Test
    void theSummaryGroupsByAgentVersionWithUnreportedVersionsAsUnknown() {
        contoso();

        List<InsightGroup> groups = insights().summary(window(Set.of(), null), GroupBy.AGENT_VERSION);

        assertThat(groups).extracting(InsightGroup::key).containsExactly("1.0", "1.1", "unknown");
        InsightCounts v10 = groups.get(0).counts();
        assertThat(v10.attempted()).isEqualTo(2);
        assertThat(v10.duplicates()).isEqualTo(1);
        assertThat(v10.billable()).isEqualTo(1);
        assertThat(v10.conversion()).isEqualTo(new Rate(1, 2));
        assertThat(v10.duplicateSuppression()).isEqualTo(new Rate(1, 2));
        InsightCounts unknown = groups.get(2).counts();
        assertThat(unknown.attempted()).isEqualTo(2);
        assertThat(unknown.notBillable()).isEqualTo(2);
        assertThat(unknown.conversion()).isEqualTo(new Rate(0, 2));
    }

    @Test
    void aSubscriptionFilterSeesOnlyItsSubscriptionAndAnAgentFilterOnlyItsAgent() {
        contoso();
        app.record(aReport().withCorrelationId("f1").forSubscription(FABRIKAM.value()).forTask("task-f1")
                .byAgent("agent-beta"));

        assertThat(insights().summary(window(Set.of(), null), GroupBy.SUBSCRIPTION))
                .extracting(InsightGroup::key).containsExactly(CONTOSO.value(), FABRIKAM.value());
        List<InsightGroup> fabrikam = insights().summary(window(Set.of(FABRIKAM), null), GroupBy.AGENT);
        assertThat(fabrikam).extracting(InsightGroup::key).containsExactly("agent-beta");
        assertThat(fabrikam.get(0).counts().attempted()).isEqualTo(1);
        assertThat(insights().hours(window(Set.of(), AgentId.of("agent-beta"))))
                .extracting(InsightHour::subscription).containsExactly(FABRIKAM);
        assertThat(insights().hours(window(Set.of(CONTOSO), AgentId.of("agent-beta")))).isEmpty();
    }

    @Test
    void evidenceIsCompleteWithAnOutputAndATraceEntry() {
        app.recordBatch(
                aReport().withCorrelationId("e1").forTask("task-e1").withEvidence(EvidenceBuilder.anEvidence()
                        .withTrace(new TraceSpan("span-1", null, "search", "ok", null, null))),
                aReport().withCorrelationId("e2").forTask("task-e2"));

        InsightCounts c = insights().summary(window(Set.of(), null), GroupBy.SUBSCRIPTION).get(0).counts();

        assertThat(c.evidenceComplete()).isEqualTo(1);
        assertThat(c.evidenceCompleteness()).isEqualTo(new Rate(1, 2));
    }

    @Test
    void anEmptyWindowHasNoRowsAndNoGroups() {
        contoso();
        InsightQuery tomorrow = new InsightQuery(Set.of(), null, DAY.plusSeconds(86_400), DAY.plusSeconds(2 * 86_400));

        assertThat(insights().hours(tomorrow)).isEmpty();
        assertThat(insights().summary(tomorrow, GroupBy.AGENT)).isEmpty();
    }
}
