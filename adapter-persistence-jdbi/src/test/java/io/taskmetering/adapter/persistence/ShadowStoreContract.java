package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.ContractVersion;
import io.taskmetering.application.model.DecisionFlip;
import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.ShadowDecision;
import io.taskmetering.application.model.ShadowHour;
import io.taskmetering.application.model.ShadowReportQuery;
import io.taskmetering.application.model.ShadowRun;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.contract.ContractScope;
import io.taskmetering.domain.evaluation.AdherenceContract;
import io.taskmetering.domain.evaluation.ContractConfig;
import io.taskmetering.domain.evaluation.Decision;
import io.taskmetering.domain.evaluation.Evidence;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.taskmetering.adapter.persistence.Fixtures.HOUR;
import static io.taskmetering.adapter.persistence.Fixtures.SUB;
import static io.taskmetering.adapter.persistence.Fixtures.SUB2;
import static io.taskmetering.adapter.persistence.Fixtures.T0;
import static io.taskmetering.adapter.persistence.Fixtures.cid;
import static io.taskmetering.domain.testdata.EvidenceBuilder.anEvidence;
import static org.assertj.core.api.Assertions.assertThat;

/** SaveShadowsPort and LoadShadowsPort: shadow runs, shadow decisions and the report over them. */
abstract class ShadowStoreContract extends StoreContract {
    private static final ContractConfig STRICT = ContractConfig.defaults().withVersion("strict-v2").withRequireApproval(true);
    private static final AdherenceContract LIVE = new AdherenceContract(ContractConfig.defaults());
    private static final AdherenceContract SHADOW = new AdherenceContract(STRICT);
    private static final Evidence APPROVED = anEvidence().withOutput("approved", true).build();
    private static final Evidence UNAPPROVED = anEvidence().build();
    private static final Evidence FAILED = anEvidence().withOutput("status", "failed").build();

    private void storeVersions() {
        ports.saveContractVersions().insertVersion(new ContractVersion(ContractConfig.defaults(), T0));
        ports.saveContractVersions().insertVersion(new ContractVersion(STRICT, T0));
    }

    @Test
    void aRunIsStartedOncePerVersionAndScopeAndStoppedByItsKey() {
        storeVersions();
        ShadowRun global = new ShadowRun("strict-v2", ContractScope.global(), T0);
        ShadowRun own = new ShadowRun("strict-v2", ContractScope.of(SUB), T0.plusSeconds(1));

        assertThat(ports.saveShadows().startShadow(global)).isEqualTo(InsertResult.INSERTED);
        assertThat(ports.saveShadows().startShadow(own)).isEqualTo(InsertResult.INSERTED);
        assertThat(ports.saveShadows().startShadow(new ShadowRun("strict-v2", ContractScope.global(), T0.plusSeconds(9))))
                .isEqualTo(InsertResult.ALREADY_PRESENT);
        assertThat(ports.loadShadows().findShadowRuns()).containsExactly(global, own);

        assertThat(ports.saveShadows().stopShadow("strict-v2", ContractScope.global())).isTrue();
        assertThat(ports.saveShadows().stopShadow("strict-v2", ContractScope.global())).isFalse();
        assertThat(ports.loadShadows().findShadowRuns()).containsExactly(own);
    }

    private static ShadowDecision shadowed(String correlationId, SubscriptionRef sub, BillingHour hour, Evidence evidence) {
        Decision live = LIVE.evaluate(evidence);
        return new ShadowDecision(cid(correlationId), new TaskId("task-" + correlationId), sub, hour,
                SHADOW.evaluate(evidence), live.contractVersion(), live.billable(), live.reasonCodes(), T0);
    }

    private Page<ShadowHour> report(Set<SubscriptionRef> subs, int limit, String cursor) {
        return ports.loadShadows().findShadowHours(new ShadowReportQuery("strict-v2", subs, null, null, limit, cursor));
    }

    @Test
    void theReportCountsEachSubscriptionsHourAndListsItsFlipsWithBothReasonCodes() {
        storeVersions();
        BillingHour next = HOUR.next();
        ports.unitOfWork().inTransaction(() -> {
            ports.saveShadows().insertShadowDecisions(List.of(
                    shadowed("c-1", SUB, HOUR, APPROVED),    // billable live and in shadow
                    shadowed("c-3", SUB, HOUR, UNAPPROVED),  // flips to not billable
                    shadowed("c-2", SUB, HOUR, UNAPPROVED),  // flips to not billable
                    shadowed("c-4", SUB, HOUR, FAILED),      // billable in neither
                    shadowed("c-5", SUB, next, UNAPPROVED),
                    shadowed("c-6", SUB2, HOUR, APPROVED)));
            // The same correlation id again (a replayed request) is kept once.
            ports.saveShadows().insertShadowDecisions(List.of(shadowed("c-1", SUB, HOUR, UNAPPROVED)));
            return null;
        });

        Page<ShadowHour> all = report(Set.of(), 10, null);

        assertThat(all.nextCursor()).isNull();
        assertThat(all.items()).extracting(ShadowHour::subscription, ShadowHour::hour, ShadowHour::evaluated,
                        ShadowHour::billableLive, ShadowHour::billableShadow, ShadowHour::flipCount)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(SUB, HOUR, 4L, 3L, 1L, 2L),
                        org.assertj.core.groups.Tuple.tuple(SUB, next, 1L, 1L, 0L, 1L),
                        org.assertj.core.groups.Tuple.tuple(SUB2, HOUR, 1L, 1L, 1L, 0L));
        List<DecisionFlip> flips = all.items().get(0).flips();
        assertThat(flips).extracting(f -> f.correlationId().value()).containsExactly("c-2", "c-3");
        DecisionFlip flip = flips.get(0);
        assertThat(flip.toBillable()).isFalse();
        assertThat(flip.taskId()).isEqualTo(new TaskId("task-c-2"));
        assertThat(flip.fromReasonCodes()).isEqualTo(LIVE.evaluate(UNAPPROVED).reasonCodes());
        assertThat(flip.toReasonCodes()).contains("approval:failed").isEqualTo(SHADOW.evaluate(UNAPPROVED).reasonCodes());
        assertThat(all.items().get(2).flips()).isEmpty();
    }

    @Test
    void theReportIsPagedByKeysetAndFilteredBySubscriptionAndHours() {
        storeVersions();
        ports.unitOfWork().inTransaction(() -> {
            List<ShadowDecision> decisions = new ArrayList<>();
            BillingHour hour = HOUR;
            for (int i = 0; i < 5; i++) {
                decisions.add(shadowed("c-" + i, SUB, hour, APPROVED));
                decisions.add(shadowed("d-" + i, SUB2, hour, APPROVED));
                hour = hour.next();
            }
            ports.saveShadows().insertShadowDecisions(decisions);
            return null;
        });

        List<ShadowHour> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<ShadowHour> page = report(Set.of(), 3, cursor);
            seen.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(seen).hasSize(10);
        assertThat(seen.subList(0, 5)).allMatch(h -> h.subscription().equals(SUB));
        assertThat(seen).extracting(ShadowHour::hour).startsWith(HOUR, HOUR.next());
        assertThat(report(Set.of(SUB2), 10, null).items()).hasSize(5).allMatch(h -> h.subscription().equals(SUB2));
        assertThat(ports.loadShadows().findShadowHours(new ShadowReportQuery("strict-v2", Set.of(SUB),
                HOUR.next().start().plusSeconds(59), HOUR.next().next().next().start(), 10, null)).items())
                .extracting(ShadowHour::hour).containsExactly(HOUR.next(), HOUR.next().next());
        assertThat(ports.loadShadows().findShadowHours(new ShadowReportQuery("default-v1", Set.of(), null, null, 10,
                null)).items()).isEmpty();
    }

    @Test
    void aRowListsTheFirstHundredFlipsOfItsHourAndCountsThemAll() {
        storeVersions();
        ports.unitOfWork().inTransaction(() -> {
            List<ShadowDecision> decisions = new ArrayList<>();
            for (int i = 0; i < ShadowReportQuery.MAX_FLIPS_PER_HOUR + 2; i++) {
                decisions.add(shadowed(String.format("c-%03d", i), SUB, HOUR, UNAPPROVED));
            }
            decisions.add(shadowed("c-next", SUB, HOUR.next(), UNAPPROVED));
            ports.saveShadows().insertShadowDecisions(decisions);
            return null;
        });

        List<ShadowHour> rows = report(Set.of(), 10, null).items();

        assertThat(rows.get(0).flipCount()).isEqualTo(ShadowReportQuery.MAX_FLIPS_PER_HOUR + 2);
        assertThat(rows.get(0).flips()).hasSize(ShadowReportQuery.MAX_FLIPS_PER_HOUR);
        assertThat(rows.get(0).flips().get(99).correlationId().value()).isEqualTo("c-099");
        assertThat(rows.get(1).flips()).extracting(f -> f.correlationId().value()).containsExactly("c-next");
    }
}
