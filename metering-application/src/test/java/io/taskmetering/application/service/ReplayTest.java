package io.taskmetering.application.service;

import io.taskmetering.application.port.in.ActivateContractCommand;
import io.taskmetering.application.port.in.CreateContractVersionCommand;
import io.taskmetering.application.port.in.EvaluateOutcomeCommand;
import io.taskmetering.application.port.in.ReplayQuery;
import io.taskmetering.application.port.in.ReplayResult;
import io.taskmetering.application.model.DecisionFlip;
import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.model.StoredDecision;
import io.taskmetering.application.testing.TestMetering;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.evaluation.ContractConfig;
import io.taskmetering.domain.evaluation.Decision;
import io.taskmetering.domain.evaluation.GateResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.taskmetering.application.service.ShadowBillingTest.APPROVAL;
import static io.taskmetering.application.service.ShadowBillingTest.approved;
import static io.taskmetering.application.testing.OutcomeReportBuilder.aReport;
import static io.taskmetering.domain.testdata.EvidenceBuilder.anEvidence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

/** Replaying stored decisions under a version, or each under its own: read-only, and exact. */
class ReplayTest {
    private static final ContractConfig SUMMARY = ContractConfig.defaults().withVersion("summary-v3")
            .withRequiredOutputKeys(List.of("summary"));
    private static final Instant FROM = Instant.parse("2025-06-01T13:00:00Z");
    private static final Instant TO = Instant.parse("2025-06-01T17:00:00Z");
    private static final BillingHour H14 = BillingHour.parse("2025-06-01T14:00:00Z");
    private static final SubscriptionRef SUB_A = new SubscriptionRef("sub-a");

    private final TestMetering metering = new TestMetering();

    /**
     * A mixed data set: the bootstrap version until 14:40, the approval version globally from then on, the summary
     * version for sub-b from 14:35; billable, failed, blank, handed-off, approved, duplicate retries, an evaluation,
     * two subscriptions, an hour closed and a late outcome billed in the next one.
     */
    @BeforeEach
    void recordMixedDataSet() {
        metering.useCases().createContractVersion().create(new CreateContractVersionCommand(APPROVAL));
        metering.useCases().createContractVersion().create(new CreateContractVersionCommand(SUMMARY));
        metering.useCases().activateContract().activate(new ActivateContractCommand("approval-v2",
                Instant.parse("2025-06-01T14:40:00Z"), null));
        metering.useCases().activateContract().activate(new ActivateContractCommand("summary-v3",
                Instant.parse("2025-06-01T14:35:00Z"), new SubscriptionRef("sub-b")));
        metering.at("2025-06-01T14:59:00Z").recordBatch(
                aReport().forSubscription("sub-a").forTask("t-1").withCorrelationId("c-01").occurredAt("2025-06-01T14:10:00Z"),
                aReport().forSubscription("sub-a").forTask("t-2").withCorrelationId("c-02").occurredAt("2025-06-01T14:11:00Z")
                        .failed(),
                aReport().forSubscription("sub-a").forTask("t-3").withCorrelationId("c-03").occurredAt("2025-06-01T14:12:00Z")
                        .withEmptyResult(),
                aReport().forSubscription("sub-a").forTask("t-4").withCorrelationId("c-04").occurredAt("2025-06-01T14:13:00Z")
                        .handedOffToHuman(),
                aReport().forSubscription("sub-a").forTask("t-1").withCorrelationId("c-05").occurredAt("2025-06-01T14:14:00Z"),
                approved("sub-a", "t-6").withCorrelationId("c-06").occurredAt("2025-06-01T14:45:00Z"),
                aReport().forSubscription("sub-a").forTask("t-7").withCorrelationId("c-07").occurredAt("2025-06-01T14:46:00Z"),
                aReport().forSubscription("sub-b").forTask("t-8").withCorrelationId("c-08").occurredAt("2025-06-01T14:20:00Z"),
                aReport().forSubscription("sub-b").forTask("t-9").withCorrelationId("c-09").occurredAt("2025-06-01T14:36:00Z"),
                aReport().forSubscription("sub-b").forTask("t-10").withCorrelationId("c-10").occurredAt("2025-06-01T14:37:00Z")
                        .withEvidence(anEvidence().withOutput("summary", "done")));
        metering.useCases().evaluateOutcome().evaluate(new EvaluateOutcomeCommand(aReport().forSubscription("sub-a")
                .forTask("t-e").withCorrelationId("c-eval").occurredAt("2025-06-01T14:50:00Z").build()));
        metering.at("2025-06-01T15:20:00Z").closeHours();
        metering.record(approved("sub-a", "t-11").withCorrelationId("c-11").occurredAt("2025-06-01T14:58:00Z"));
    }

    private ReplayResult.Replayed replay(String version, Set<SubscriptionRef> subscriptions, int limit, String cursor) {
        return (ReplayResult.Replayed) metering.useCases().replays().replay(
                new ReplayQuery(version, FROM, TO, subscriptions, limit, cursor));
    }

    @Test
    void replayingAsRecordedReproducesEveryDecision() {
        ReplayResult.Replayed replay = replay(ReplayQuery.AS_RECORDED, Set.of(), 100, null);

        assertThat(replay.replayed()).isEqualTo(11);
        assertThat(replay.unchanged()).isEqualTo(11);
        assertThat(replay.flippedToBillable() + replay.flippedToNotBillable()).isZero();
        assertThat(replay.flips()).isEmpty();
        assertThat(replay.hours()).isEmpty();
        assertThat(replay.mismatchCount()).isZero();
        assertThat(replay.mismatches()).isEmpty();
        // the data set really was decided by three versions
        assertThat(metering.store.decisions()).extracting(d -> d.decision().contractVersion())
                .contains("default-v1", "approval-v2", "summary-v3");
    }

    /**
     * Under the approval version, the outcomes without {@code approved: true} that were billable flip to not billable:
     * c-01, c-04 (held for review: its hour does not change), c-05 (a duplicate of t-1: nor does its hour), c-08, c-10
     * (sub-b's). c-07 and c-09 were decided by approval-v2 and summary-v3 already and stay; nothing flips to billable.
     */
    @Test
    void replayingUnderAStricterVersionFlipsExactlyTheUnapprovedBillableOutcomes() {
        ReplayResult.Replayed replay = replay("approval-v2", Set.of(), 100, null);

        assertThat(replay.replayed()).isEqualTo(11);
        assertThat(replay.flippedToBillable()).isZero();
        assertThat(replay.flippedToNotBillable()).isEqualTo(5);
        assertThat(replay.unchanged()).isEqualTo(6);
        assertThat(replay.flips()).extracting(f -> f.correlationId().value(), DecisionFlip::toBillable)
                .containsExactly(tuple("c-01", false), tuple("c-04", false), tuple("c-05", false), tuple("c-08", false),
                        tuple("c-10", false));
        DecisionFlip first = replay.flips().get(0);
        assertThat(first.fromReasonCodes()).contains("approval:skipped");
        assertThat(first.toReasonCodes()).contains("approval:failed");
        assertThat(replay.hours()).extracting(h -> h.subscription().value(), ReplayResult.HourDifference::hour,
                        ReplayResult.HourDifference::quantityDifference)
                .containsExactly(tuple("sub-a", H14, -1L), tuple("sub-b", H14, -2L));
        assertThat(replay.mismatchCount()).isZero();
        assertThat(replay(("approval-v2"), Set.of(SUB_A), 100, null).flips()).hasSize(3);
    }

    @Test
    void aReplayChangesNothingStored() {
        StoreSnapshot before = StoreSnapshot.of(metering.store);
        List<StoredDecision> decisions = metering.store.decisions();
        var outcomes = metering.store.outcomes();
        long commits = metering.store.commits();

        replay(ReplayQuery.AS_RECORDED, Set.of(), 100, null);
        replay("approval-v2", Set.of(), 100, null);
        replay("summary-v3", Set.of(), 1, null);

        assertThat(StoreSnapshot.of(metering.store)).isEqualTo(before);
        assertThat(metering.store.decisions()).isEqualTo(decisions);
        assertThat(metering.store.outcomes()).isEqualTo(outcomes);
        assertThat(metering.store.commits()).isEqualTo(commits);
    }

    @Test
    void flipsArePagedWhileTheCountsCoverTheWholeWindow() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            ReplayResult.Replayed page = replay("approval-v2", Set.of(), 2, cursor);
            assertThat(page.flippedToNotBillable()).isEqualTo(5);
            page.flips().forEach(f -> seen.add(f.correlationId().value()));
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(seen).containsExactly("c-01", "c-04", "c-05", "c-08", "c-10");
        assertThatThrownBy(() -> replay("approval-v2", Set.of(), 2, "bm90LWEtY3Vyc29y"))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("cursor");
    }

    @Test
    void aDecisionThatDoesNotReplayAsRecordedIsReportedAsAMismatch() {
        StoredDecision stored = metering.store.decisions().stream()
                .filter(d -> d.correlationId().value().equals("c-02")).findFirst().orElseThrow();
        Decision real = stored.decision();
        List<GateResult> gates = new ArrayList<>(real.gates());
        gates.set(1, new GateResult(gates.get(1).gate(), gates.get(1).outcome(), "terminal_success:tampered"));
        Decision tampered = new Decision(real.intentHandled(), real.adhered(), real.billableUnits(), gates,
                real.contractVersion(), real.evidenceSha256(), real.reviewReasons());
        metering.store.seedDecision(new StoredDecision(stored.correlationId(), stored.taskId(), stored.agentId(),
                stored.subscription(), stored.dimension(), stored.planId(), stored.kind(), stored.occurredAt(),
                stored.receivedAt(), stored.evidence(), tampered, stored.metadata(), stored.evidenceCanonicalization()),
                new OutcomeRecord.NotBillable(stored.correlationId()));

        ReplayResult.Replayed replay = replay(ReplayQuery.AS_RECORDED, Set.of(), 100, null);

        assertThat(replay.mismatchCount()).isEqualTo(1);
        assertThat(replay.mismatches()).singleElement().satisfies(m -> {
            assertThat(m.correlationId().value()).isEqualTo("c-02");
            assertThat(m.contractVersion()).isEqualTo("default-v1");
            assertThat(m.difference()).contains("terminal_success:tampered").contains("terminal_success:failed");
        });
    }

    @Test
    void anUnknownVersionIsNamed() {
        assertThat(metering.useCases().replays().replay(new ReplayQuery("nope", FROM, TO, Set.of(), 10, null)))
                .isEqualTo(new ReplayResult.UnknownVersion("nope"));
    }
}
