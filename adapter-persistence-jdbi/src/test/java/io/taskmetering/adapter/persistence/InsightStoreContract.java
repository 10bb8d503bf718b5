package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.HourQuantity;
import io.taskmetering.application.model.InsightCell;
import io.taskmetering.application.model.InsightQuery;
import io.taskmetering.application.port.in.CloseHoursCommand;
import io.taskmetering.application.port.in.DisputeChargeCommand;
import io.taskmetering.application.port.in.OutcomeReport;
import io.taskmetering.application.port.in.RecordOutcomeBatchCommand;
import io.taskmetering.application.port.in.RecordOutcomeCommand;
import io.taskmetering.application.port.in.ResolveDisputeCommand;
import io.taskmetering.application.service.MeteringUseCases;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.Evidence;
import io.taskmetering.domain.evaluation.TraceSpan;
import io.taskmetering.domain.insight.InsightCounts;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.taskmetering.adapter.persistence.Fixtures.AGENT;
import static io.taskmetering.adapter.persistence.Fixtures.SUB;
import static io.taskmetering.adapter.persistence.Fixtures.SUB2;
import static io.taskmetering.adapter.persistence.Fixtures.T0;
import static io.taskmetering.adapter.persistence.Fixtures.cid;
import static io.taskmetering.adapter.persistence.Fixtures.clockAt;
import static io.taskmetering.domain.testdata.EvidenceBuilder.anEvidence;
import static org.assertj.core.api.Assertions.assertThat;

/** LoadInsightsPort: the counts of each subscription, hour, agent and agent version, from what was recorded. */
abstract class InsightStoreContract extends StoreContract {
    private static final AgentId BETA = new AgentId("agent-2");
    private static final Evidence TRACED = anEvidence().withTrace(new TraceSpan("s-1", null, "search", "ok", null, null))
            .build();
    private static final InsightQuery DAY = new InsightQuery(Set.of(), null, T0.minusSeconds(14 * 3600),
            T0.plusSeconds(10 * 3600));

    private static RecordOutcomeCommand outcome(SubscriptionRef sub, AgentId agent, String id, String task, int minute,
                                                String version, Evidence evidence) {
        return new RecordOutcomeCommand(new OutcomeReport(new TaskId(task), agent, sub, cid(id),
                T0.plusSeconds(60L * minute), null, version, null, null, evidence, null));
    }

    /**
     * The Contoso hour on sub-1 by agent-1 (two billable, a failure, a retry, an empty result) with versions 1.0 and
     * none; on sub-2 agent-2 reports one charge in the next hour that is disputed and reversed, one that is disputed,
     * one held for review (none of them counted), and one evaluation that is no attempt.
     */
    private MeteringUseCases recordHours() {
        MeteringUseCases first = Services.wire(ports, clockAt(T0.plusSeconds(3000)));
        first.recordOutcomeBatch().recordBatch(new RecordOutcomeBatchCommand(List.of(
                outcome(SUB, AGENT, "c1", "task-001", 5, "1.0", TRACED),
                outcome(SUB, AGENT, "c2", "task-002", 12, "1.0", anEvidence().build()),
                outcome(SUB, AGENT, "c3", "task-003", 20, null, anEvidence().withOutput("status", "failed").build()),
                outcome(SUB, AGENT, "c4", "task-001", 31, "1.0", TRACED),
                outcome(SUB, AGENT, "c5", "task-005", 44, null, anEvidence().withOutput("result", "").build()))));
        first.close();
        MeteringUseCases app = Services.wire(ports, clockAt(T0.plusSeconds(3600 + 540)));
        app.recordOutcomeBatch().recordBatch(new RecordOutcomeBatchCommand(List.of(
                outcome(SUB2, BETA, "d1", "task-d1", 65, "2.0", anEvidence().build()),
                outcome(SUB2, BETA, "d2", "task-d2", 66, "2.0", anEvidence().build()),
                outcome(SUB2, BETA, "d3", "task-d3", 67, "2.0", anEvidence().withOutput("human_handoff", true).build()))));
        app.evaluateOutcome().evaluate(new io.taskmetering.application.port.in.EvaluateOutcomeCommand(
                outcome(SUB2, BETA, "e1", "task-e1", 68, "2.0", anEvidence().build()).report()));
        app.disputeCharge().dispute(new DisputeChargeCommand(cid("d1"), "customer", "wrong"));
        app.disputeCharge().dispute(new DisputeChargeCommand(cid("d2"), "customer", "wrong"));
        app.resolveDispute().resolve(new ResolveDisputeCommand(cid("d1"), ResolveDisputeCommand.Resolution.REVERSE,
                "billing", "refund"));
        return app;
    }

    private List<InsightCell> cells(InsightQuery query) {
        List<InsightCell> cells = new ArrayList<>(ports.loadInsights().findInsightCells(query));
        cells.sort(Comparator.comparing((InsightCell c) -> c.hour()).thenComparing(c -> c.subscription().value())
                .thenComparing(c -> String.valueOf(c.agentVersion())));
        return cells;
    }

    @Test
    void eachCellCountsItsReportsByOccurrenceHourAndItsChargesByBillingHour() {
        recordHours().close();

        List<InsightCell> cells = cells(DAY);

        assertThat(cells).extracting(InsightCell::subscription, InsightCell::hour, InsightCell::agent,
                InsightCell::agentVersion).containsExactly(
                org.assertj.core.groups.Tuple.tuple(SUB, T0, AGENT, "1.0"),
                org.assertj.core.groups.Tuple.tuple(SUB, T0, AGENT, null),
                org.assertj.core.groups.Tuple.tuple(SUB2, T0.plusSeconds(3600), BETA, "2.0"));
        assertThat(cells.get(0).counts()).isEqualTo(new InsightCounts(3, 1, Map.of(), 2, 2, 2, 0, 0, 0));
        assertThat(cells.get(1).counts()).isEqualTo(new InsightCounts(2, 0,
                Map.of("terminal_success", 1L, "output_validation", 1L), 0, 0, 0, 0, 0, 0));
        assertThat(cells.get(2).counts()).as("the evaluation is no attempt").isEqualTo(
                new InsightCounts(3, 0, Map.of(), 0, 3, 0, 1, 1, 1));
    }

    @Test
    void subscriptionAgentAndWindowFiltersNarrowTheCells() {
        recordHours().close();

        assertThat(cells(new InsightQuery(Set.of(SUB2), null, DAY.from(), DAY.to())))
                .extracting(InsightCell::subscription).containsOnly(SUB2);
        assertThat(cells(new InsightQuery(Set.of(), BETA, DAY.from(), DAY.to())))
                .extracting(InsightCell::agent).containsOnly(BETA);
        assertThat(cells(new InsightQuery(Set.of(SUB), BETA, DAY.from(), DAY.to()))).isEmpty();
        assertThat(cells(new InsightQuery(Set.of(), null, T0, T0.plusSeconds(3600))))
                .extracting(InsightCell::subscription).containsOnly(SUB);
        assertThat(cells(new InsightQuery(Set.of(), null, T0.plusSeconds(3600), T0.plusSeconds(7200))))
                .extracting(InsightCell::subscription).containsOnly(SUB2);
    }

    @Test
    void hourQuantitiesComeFromTheUsageEventsAndAcceptedStaysUnknownWhilePending() {
        recordHours().close();
        assertThat(ports.loadInsights().findHourQuantities(DAY)).isEmpty();

        MeteringUseCases later = Services.wire(ports, clockAt(T0.plusSeconds(4 * 3600)));
        later.closeHours().closeDueHours(CloseHoursCommand.defaults());
        later.close();

        List<HourQuantity> quantities = new ArrayList<>(ports.loadInsights().findHourQuantities(DAY));
        quantities.sort(Comparator.comparing(HourQuantity::hour));
        assertThat(quantities).as("sub-2's hour counts nothing: reversed, disputed, held")
                .containsExactly(new HourQuantity(SUB, T0, 2, null));
        assertThat(ports.loadInsights().findHourQuantities(new InsightQuery(Set.of(SUB2), null, DAY.from(), DAY.to())))
                .isEmpty();
    }
}
