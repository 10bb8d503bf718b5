package io.taskmetering.application.service;

import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.ShadowDecision;
import io.taskmetering.application.model.ShadowHour;
import io.taskmetering.application.model.ShadowReportQuery;
import io.taskmetering.application.model.ShadowRun;
import io.taskmetering.application.port.in.CreateContractVersionCommand;
import io.taskmetering.application.port.in.EvaluateOutcomeCommand;
import io.taskmetering.application.port.in.NotFoundException;
import io.taskmetering.application.port.in.ShadowCommand;
import io.taskmetering.application.port.in.StartShadowResult;
import io.taskmetering.application.port.in.StopShadowResult;
import io.taskmetering.application.testing.OutcomeReportBuilder;
import io.taskmetering.application.testing.TestMetering;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.contract.ContractScope;
import io.taskmetering.domain.evaluation.ContractConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.taskmetering.application.testing.OutcomeReportBuilder.aReport;
import static io.taskmetering.domain.testdata.EvidenceBuilder.anEvidence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

/** A candidate version in shadow: decided beside the live one on every recorded outcome, charging nothing. */
class ShadowBillingTest {
    static final ContractConfig APPROVAL = ContractConfig.defaults().withVersion("approval-v2").withRequireApproval(true);
    private static final SubscriptionRef SUB_A = new SubscriptionRef("sub-a");
    private static final SubscriptionRef SUB_B = new SubscriptionRef("sub-b");

    private final TestMetering metering = new TestMetering();

    static void createApprovalVersion(TestMetering m) {
        m.useCases().createContractVersion().create(new CreateContractVersionCommand(APPROVAL));
    }

    private StartShadowResult startShadow(SubscriptionRef subscription) {
        return metering.useCases().startShadow().start(new ShadowCommand("approval-v2", subscription));
    }

    static OutcomeReportBuilder approved(String sub, String task) {
        return aReport().forSubscription(sub).forTask(task).withEvidence(anEvidence().withOutput("approved", true));
    }

    /** The same outcomes recorded with and without a shadow leave the same charges, ledger, hours and outbox. */
    @Test
    void aShadowChargesNothingAndCountsInNoHour() {
        TestMetering without = new TestMetering();
        createApprovalVersion(metering);
        createApprovalVersion(without);
        assertThat(startShadow(null)).isInstanceOf(StartShadowResult.Started.class);
        for (TestMetering m : List.of(metering, without)) {
            m.record(approved("sub-a", "t-1").withCorrelationId("c-1"));
            m.record(aReport().forSubscription("sub-a").forTask("t-2").withCorrelationId("c-2"));
            m.record(aReport().forSubscription("sub-a").forTask("t-3").withCorrelationId("c-3").failed());
            m.at("2025-06-01T15:20:00Z").closeHours();
            m.submit();
        }

        assertThat(metering.store.shadowDecisions()).hasSize(3);
        assertThat(StoreSnapshot.of(metering.store)).isEqualTo(StoreSnapshot.of(without.store));
        assertThat(metering.store.decisions()).isEqualTo(without.store.decisions());
        assertThat(metering.store.charges()).hasSize(2);
    }

    @Test
    void whileOnEveryRecordedOutcomeIsDecidedAgainAndOnceStoppedNoneIs() {
        createApprovalVersion(metering);
        metering.record(aReport().forTask("before").withCorrelationId("c-0"));
        startShadow(null);

        metering.record(aReport().forTask("t-1").withCorrelationId("c-1"));
        metering.recordBatch(approved("sub-a", "t-2").withCorrelationId("c-2"),
                aReport().forTask("t-3").withCorrelationId("c-3").failed());
        metering.record(aReport().forTask("t-1").withCorrelationId("c-1")); // a replayed request: not shadowed again
        metering.useCases().evaluateOutcome().evaluate(new EvaluateOutcomeCommand(aReport().forTask("t-9").build()));
        assertThat(metering.useCases().stopShadow().stop(new ShadowCommand("approval-v2", (SubscriptionRef) null)))
                .isInstanceOf(StopShadowResult.Stopped.class);
        metering.record(aReport().forTask("after").withCorrelationId("c-9"));

        List<ShadowDecision> shadows = metering.store.shadowDecisions();
        assertThat(shadows).extracting(d -> d.correlationId().value(), ShadowDecision::liveBillable,
                        d -> d.shadow().billable(), ShadowDecision::version, ShadowDecision::liveVersion)
                .containsExactlyInAnyOrder(
                        tuple("c-1", true, false, "approval-v2", "default-v1"),
                        tuple("c-2", true, true, "approval-v2", "default-v1"),
                        tuple("c-3", false, false, "approval-v2", "default-v1"));
        ShadowDecision c1 = shadows.stream().filter(d -> d.correlationId().value().equals("c-1")).findFirst().orElseThrow();
        assertThat(c1.shadow().reasonCodes()).contains("approval:failed");
        assertThat(c1.liveReasonCodes()).contains("approval:skipped");
        assertThat(metering.useCases().shadows().shadowRuns()).isEmpty();
    }

    @Test
    void aSubscriptionsShadowDecidesOnlyItsOwnOutcomes() {
        createApprovalVersion(metering);
        startShadow(SUB_B);
        metering.recordBatch(aReport().forSubscription("sub-a").forTask("t-1"),
                aReport().forSubscription("sub-b").forTask("t-2"));

        assertThat(metering.store.shadowDecisions()).extracting(ShadowDecision::subscription).containsExactly(SUB_B);
    }

    @Test
    void startingAnswersWhatRunsAndStoppingWhatDidNot() {
        assertThat(startShadow(null)).isEqualTo(new StartShadowResult.UnknownVersion("approval-v2"));
        createApprovalVersion(metering);
        StartShadowResult first = startShadow(SUB_A);
        metering.clock.advance(Duration.ofMinutes(1));
        StartShadowResult again = startShadow(SUB_A);

        ShadowRun run = ((StartShadowResult.Started) first).run();
        assertThat(again).isEqualTo(new StartShadowResult.AlreadyRunning(run));
        assertThat(metering.useCases().shadows().shadowRuns()).containsExactly(run);
        assertThat(metering.useCases().stopShadow().stop(new ShadowCommand("approval-v2", (SubscriptionRef) null)))
                .isEqualTo(new StopShadowResult.NotRunning("approval-v2", ContractScope.global()));
    }

    /**
     * Hand-computed: sub-a 14:00 has four outcomes, live bills three (t-1 approved, t-2, t-3), the approval version
     * bills one (t-1), so t-2 and t-3 flip; t-4 failed under both. sub-a 15:00 has one, billed live only. sub-b 14:00
     * has two, both approved: billed under both, no flip.
     */
    @Test
    void theReportMatchesAHandComputedExpectation() {
        createApprovalVersion(metering);
        startShadow(null);
        metering.recordBatch(
                approved("sub-a", "t-1").withCorrelationId("c-1").occurredAt("2025-06-01T14:05:00Z"),
                aReport().forSubscription("sub-a").forTask("t-2").withCorrelationId("c-2").occurredAt("2025-06-01T14:10:00Z"),
                aReport().forSubscription("sub-a").forTask("t-3").withCorrelationId("c-3").occurredAt("2025-06-01T14:15:00Z"),
                aReport().forSubscription("sub-a").forTask("t-4").withCorrelationId("c-4").occurredAt("2025-06-01T14:20:00Z")
                        .failed(),
                approved("sub-b", "t-5").withCorrelationId("c-5").occurredAt("2025-06-01T14:25:00Z"),
                approved("sub-b", "t-6").withCorrelationId("c-6").occurredAt("2025-06-01T14:26:00Z"));
        metering.at("2025-06-01T15:30:00Z").record(aReport().forSubscription("sub-a").forTask("t-7")
                .withCorrelationId("c-7").occurredAt("2025-06-01T15:01:00Z"));

        Page<ShadowHour> report = metering.useCases().shadows().shadowReport(
                new ShadowReportQuery("approval-v2", Set.of(), null, null, 10, null));

        BillingHour h14 = BillingHour.parse("2025-06-01T14:00:00Z");
        BillingHour h15 = h14.next();
        assertThat(report.items()).extracting(ShadowHour::subscription, ShadowHour::hour, ShadowHour::evaluated,
                        ShadowHour::billableLive, ShadowHour::billableShadow, ShadowHour::flipCount)
                .containsExactly(tuple(SUB_A, h14, 4L, 3L, 1L, 2L), tuple(SUB_A, h15, 1L, 1L, 0L, 1L),
                        tuple(SUB_B, h14, 2L, 2L, 2L, 0L));
        assertThat(report.items().get(0).flips()).extracting(f -> f.taskId().value(), f -> f.correlationId().value(),
                        f -> f.toBillable())
                .containsExactly(tuple("t-2", "c-2", false), tuple("t-3", "c-3", false));
        assertThat(metering.useCases().shadows().shadowReport(
                new ShadowReportQuery("approval-v2", Set.of(SUB_B), null, null, 10, null)).items()).hasSize(1);
        assertThatThrownBy(() -> metering.useCases().shadows().shadowReport(
                new ShadowReportQuery("nope", Set.of(), null, null, 10, null))).isInstanceOf(NotFoundException.class);
    }
}
