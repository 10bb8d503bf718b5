package io.taskmetering.application.service;

import io.taskmetering.application.model.DecisionKind;
import io.taskmetering.application.port.in.OutcomeResult.CorrelationIdInUse;
import io.taskmetering.application.port.in.EvaluateOutcomeCommand;
import io.taskmetering.application.port.in.EvaluationResult;
import io.taskmetering.application.port.in.OutcomeResult.InvalidReport;
import io.taskmetering.application.testing.OutcomeReportBuilder;
import io.taskmetering.application.testing.TestMetering;
import io.taskmetering.domain.common.CorrelationId;
import org.junit.jupiter.api.Test;

import static io.taskmetering.application.testing.OutcomeReportBuilder.aReport;
import static org.assertj.core.api.Assertions.assertThat;

class EvaluateOutcomeServiceTest {
    private final TestMetering app = new TestMetering();

    private EvaluationResult evaluate(OutcomeReportBuilder report) {
        return app.useCases().evaluateOutcome().evaluate(new EvaluateOutcomeCommand(report.build()));
    }

    private EvaluationResult.Evaluated evaluated(OutcomeReportBuilder report) {
        EvaluationResult result = evaluate(report);
        assertThat(result).isInstanceOf(EvaluationResult.Evaluated.class);
        return (EvaluationResult.Evaluated) result;
    }

    @Test
    void evaluatesAndKeepsTheDecisionButChargesNothing() {
        EvaluationResult.Evaluated result = evaluated(aReport().withCorrelationId("e1").withUsage(10, 10, 10, 1));

        assertThat(result.decision().billable()).isTrue();
        assertThat(result.correlationId()).isEqualTo(CorrelationId.of("e1"));
        assertThat(result.replayed()).isFalse();
        assertThat(app.store.findDecision(CorrelationId.of("e1")).orElseThrow().kind())
                .isEqualTo(DecisionKind.EVALUATION_ONLY);
        assertThat(app.store.charges()).isEmpty();
        assertThat(app.store.ledger()).isEmpty();
        assertThat(app.store.buckets()).isEmpty();
        assertThat(app.store.capCounters()).isEmpty();
        assertThat(app.store.usageRecords()).isEmpty();
    }

    @Test
    void aNonBillableEvaluationExplainsItself() {
        EvaluationResult.Evaluated result = evaluated(aReport().failed());

        assertThat(result.decision().billable()).isFalse();
        assertThat(result.decision().reasonCodes()).contains("terminal_success:failed");
        assertThat(result.correlationId()).isEqualTo(CorrelationId.of("id-1"));
    }

    @Test
    void reEvaluatingACorrelationIdReturnsTheStoredDecision() {
        EvaluationResult.Evaluated first = evaluated(aReport().withCorrelationId("e1"));

        EvaluationResult.Evaluated again = evaluated(aReport().withCorrelationId("e1").failed());

        assertThat(again.replayed()).isTrue();
        assertThat(again.decision()).isEqualTo(first.decision());
        assertThat(app.store.decisions()).hasSize(1);
    }

    @Test
    void aCorrelationIdOfAnotherTaskIsInUse() {
        evaluated(aReport().withCorrelationId("e1"));

        assertThat(evaluate(aReport().withCorrelationId("e1").forTask("task-other")))
                .isEqualTo(new CorrelationIdInUse(CorrelationId.of("e1")));
        assertThat(app.store.decisions()).hasSize(1);
    }

    @Test
    void aTimeTooFarInTheFutureIsRefusedNamingOccurredAt() {
        assertThat(evaluate(aReport().occurredAt("2025-06-01T16:00:00Z")))
                .isInstanceOfSatisfying(InvalidReport.class, e -> assertThat(e.field()).isEqualTo("occurred_at"));
        assertThat(app.store.decisions()).isEmpty();
    }
}
