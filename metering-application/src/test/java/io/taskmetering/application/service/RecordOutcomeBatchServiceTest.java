package io.taskmetering.application.service;

import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.port.in.OutcomeResult.CorrelationIdInUse;
import io.taskmetering.application.port.in.OutcomeResult.InvalidReport;
import io.taskmetering.application.port.in.OutcomeResult;
import io.taskmetering.application.port.in.RecordOutcomeBatchCommand;
import io.taskmetering.application.testing.TestMetering;
import io.taskmetering.domain.billing.GuardrailCaps;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.InvalidValueException;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static io.taskmetering.application.service.RecordOutcomeServiceTest.CONTOSO_H14;
import static io.taskmetering.application.testing.OutcomeReportBuilder.aReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordOutcomeBatchServiceTest {
    private final TestMetering app = new TestMetering();

    private static OutcomeResult.Decided decided(OutcomeResult item) {
        assertThat(item).isInstanceOf(OutcomeResult.Decided.class);
        return (OutcomeResult.Decided) item;
    }

    private static Class<?> kind(OutcomeResult item) {
        return decided(item).recording().getClass();
    }

    @Test
    void theContosoHourInOneBatchChargesTwoOfFive() {
        List<OutcomeResult> results = app.recordBatch(
                aReport().withCorrelationId("c1").forTask("task-001"),
                aReport().withCorrelationId("c2").forTask("task-002"),
                aReport().withCorrelationId("c3").forTask("task-003").failed(),
                aReport().withCorrelationId("c4").forTask("task-001"),
                aReport().withCorrelationId("c5").forTask("task-005").withEmptyResult());

        assertThat(results).extracting(r -> decided(r).correlationId().value())
                .containsExactly("c1", "c2", "c3", "c4", "c5");
        assertThat(results).extracting(RecordOutcomeBatchServiceTest::kind).containsExactly(OutcomeRecord.Charged.class,
                OutcomeRecord.Charged.class, OutcomeRecord.NotBillable.class, OutcomeRecord.Duplicate.class,
                OutcomeRecord.NotBillable.class);
        assertThat(decided(results.get(3)).recording())
                .isEqualTo(new OutcomeRecord.Duplicate(CorrelationId.of("c4"), CorrelationId.of("c1")));
        assertThat(decided(results.get(2)).decision().reasonCodes()).contains("terminal_success:failed");
        assertThat(decided(results.get(4)).decision().reasonCodes()).contains("output_validation:invalid=result");
        assertThat(app.store.bucket(CONTOSO_H14).quantity()).isEqualTo(2);
        assertThat(app.store.commits()).as("one transaction for the batch").isEqualTo(1);
    }

    @Test
    void theSameTaskTwiceInOneBatchIsChargedOnceTheFirstWins() {
        List<OutcomeResult> results = app.recordBatch(aReport().withCorrelationId("a"),
                aReport().withCorrelationId("b"));

        assertThat(kind(results.get(0))).isEqualTo(OutcomeRecord.Charged.class);
        assertThat(decided(results.get(1)).recording())
                .isEqualTo(new OutcomeRecord.Duplicate(CorrelationId.of("b"), CorrelationId.of("a")));
        assertThat(app.store.charges()).hasSize(1);
    }

    @Test
    void theSameCorrelationIdTwiceInOneBatchIsAReplayOfTheFirst() {
        List<OutcomeResult> results = app.recordBatch(aReport().withCorrelationId("same"),
                aReport().withCorrelationId("same").failed(), aReport().withCorrelationId("same").forTask("task-other"));

        OutcomeResult.Decided first = decided(results.get(0));
        assertThat(first.replayed()).isFalse();
        assertThat(results.get(1)).isEqualTo(new OutcomeResult.Decided(first.correlationId(), first.taskId(),
                first.subscription(), first.decision(), first.recording(), true));
        assertThat(results.get(2)).as("another task's id").isEqualTo(new CorrelationIdInUse(CorrelationId.of("same")));
        assertThat(app.store.decisions()).hasSize(1);
        assertThat(app.store.charges()).hasSize(1);
    }

    @Test
    void anInvalidItemIsReportedWithItsFieldWhileTheOthersSucceed() {
        List<OutcomeResult> results = app.recordBatch(
                aReport().withCorrelationId("ok-1").forTask("t1"),
                aReport().withCorrelationId("future").forTask("t2").occurredAt("2025-06-01T15:00:00Z"),
                aReport().withCorrelationId("ok-2").forTask("t3"));

        assertThat(results).hasSize(3);
        assertThat(results.get(1)).isInstanceOfSatisfying(InvalidReport.class, failure -> {
            assertThat(failure.field()).isEqualTo("occurred_at");
            assertThat(failure.message()).contains("future");
        });
        assertThat(kind(results.get(0))).isEqualTo(OutcomeRecord.Charged.class);
        assertThat(kind(results.get(2))).isEqualTo(OutcomeRecord.Charged.class);
        assertThat(app.store.findDecision(CorrelationId.of("future"))).as("nothing of it written").isEmpty();
        assertThat(app.store.bucket(CONTOSO_H14).quantity()).isEqualTo(2);
    }

    @Test
    void aBatchOfOnlyInvalidItemsWritesNothing() {
        List<OutcomeResult> results = app.recordBatch(aReport().occurredAt("2025-06-02T00:00:00Z"));

        assertThat(results).singleElement().isInstanceOf(InvalidReport.class);
        assertThat(app.store.commits()).isZero();
        assertThat(app.ids.issued()).as("a correlation id was generated for the refused item").isEqualTo(1);
    }

    @Test
    void capsAreEnforcedInsideTheBatchInOrder() {
        app.withPolicy(p -> p.withCaps(GuardrailCaps.of(2, 0)));

        List<OutcomeResult> results = app.recordBatch(aReport().forTask("t1"), aReport().forTask("t2"),
                aReport().forTask("t3"), aReport().forTask("t1"));

        assertThat(results).extracting(RecordOutcomeBatchServiceTest::kind).containsExactly(OutcomeRecord.Charged.class,
                OutcomeRecord.Charged.class, OutcomeRecord.HeldForReview.class, OutcomeRecord.Duplicate.class);
        assertThat(app.store.anomalies()).hasSize(1);
        assertThat(app.store.bucket(CONTOSO_H14).quantity()).isEqualTo(2);
    }

    @Test
    void theCommandRefusesAnEmptyOrOversizedBatch() {
        assertThatThrownBy(() -> new RecordOutcomeBatchCommand(List.of()))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("outcomes"));
        assertThatThrownBy(() -> new RecordOutcomeBatchCommand(null)).isInstanceOf(InvalidValueException.class);
        var one = aReport().command();
        assertThatThrownBy(() -> new RecordOutcomeBatchCommand(Collections.nCopies(1001, one)))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("1000");
    }
}
