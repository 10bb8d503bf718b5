package io.taskmetering.application.service;

import io.taskmetering.application.port.in.BatchItemResult;
import io.taskmetering.application.port.in.OutcomeResult;
import io.taskmetering.application.port.in.RecordOutcomeBatchCommand;
import io.taskmetering.application.testing.TestMetering;
import io.taskmetering.domain.billing.GuardrailCaps;
import io.taskmetering.domain.charge.ChargeState;
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

    private static OutcomeResult success(BatchItemResult item) {
        assertThat(item).isInstanceOf(BatchItemResult.Success.class);
        return ((BatchItemResult.Success) item).result();
    }

    @Test
    void theContosoHourInOneBatchChargesTwoOfFive() {
        List<BatchItemResult> results = app.recordBatch(
                aReport().withCorrelationId("c1").forTask("task-001"),
                aReport().withCorrelationId("c2").forTask("task-002"),
                aReport().withCorrelationId("c3").forTask("task-003").failed(),
                aReport().withCorrelationId("c4").forTask("task-001"),
                aReport().withCorrelationId("c5").forTask("task-005").withEmptyResult());

        assertThat(results).extracting(BatchItemResult::index).containsExactly(0, 1, 2, 3, 4);
        assertThat(results).extracting(r -> success(r).chargeState())
                .containsExactly(ChargeState.QUALIFIED, ChargeState.QUALIFIED, null, null, null);
        assertThat(success(results.get(3)).duplicate()).isTrue();
        assertThat(success(results.get(3)).chargeCorrelationId()).isEqualTo(CorrelationId.of("c1"));
        assertThat(success(results.get(2)).decision().reasonCodes()).contains("terminal_success:failed");
        assertThat(success(results.get(4)).decision().reasonCodes()).contains("output_validation:invalid=result");
        assertThat(app.store.bucket(CONTOSO_H14).quantity()).isEqualTo(2);
        assertThat(app.store.commits()).as("one transaction for the batch").isEqualTo(1);
    }

    @Test
    void theSameTaskTwiceInOneBatchIsChargedOnceTheFirstWins() {
        List<BatchItemResult> results = app.recordBatch(aReport().withCorrelationId("a"),
                aReport().withCorrelationId("b"));

        assertThat(success(results.get(0)).chargeState()).isEqualTo(ChargeState.QUALIFIED);
        assertThat(success(results.get(1)).duplicate()).isTrue();
        assertThat(success(results.get(1)).chargeCorrelationId()).isEqualTo(CorrelationId.of("a"));
        assertThat(app.store.charges()).hasSize(1);
    }

    @Test
    void theSameCorrelationIdTwiceInOneBatchIsAReplayOfTheFirst() {
        List<BatchItemResult> results = app.recordBatch(aReport().withCorrelationId("same"),
                aReport().withCorrelationId("same").forTask("task-other"));

        OutcomeResult first = success(results.get(0));
        OutcomeResult second = success(results.get(1));
        assertThat(first.replayed()).isFalse();
        assertThat(second.replayed()).isTrue();
        assertThat(second).usingRecursiveComparison().ignoringFields("replayed").isEqualTo(first);
        assertThat(app.store.decisions()).hasSize(1);
        assertThat(app.store.charges()).hasSize(1);
    }

    @Test
    void anInvalidItemIsReportedWithItsFieldWhileTheOthersSucceed() {
        List<BatchItemResult> results = app.recordBatch(
                aReport().withCorrelationId("ok-1").forTask("t1"),
                aReport().withCorrelationId("future").forTask("t2").occurredAt("2025-06-01T15:00:00Z"),
                aReport().withCorrelationId("ok-2").forTask("t3"));

        assertThat(results).extracting(BatchItemResult::index).containsExactly(0, 1, 2);
        assertThat(results.get(1)).isInstanceOfSatisfying(BatchItemResult.Failure.class, failure -> {
            assertThat(failure.field()).isEqualTo("occurred_at");
            assertThat(failure.message()).contains("future");
        });
        assertThat(success(results.get(0)).chargeState()).isEqualTo(ChargeState.QUALIFIED);
        assertThat(success(results.get(2)).chargeState()).isEqualTo(ChargeState.QUALIFIED);
        assertThat(app.store.findDecision(CorrelationId.of("future"))).as("nothing of it written").isEmpty();
        assertThat(app.store.bucket(CONTOSO_H14).quantity()).isEqualTo(2);
    }

    @Test
    void aBatchOfOnlyInvalidItemsWritesNothing() {
        List<BatchItemResult> results = app.recordBatch(aReport().occurredAt("2025-06-02T00:00:00Z"));

        assertThat(results).singleElement().isInstanceOf(BatchItemResult.Failure.class);
        assertThat(app.store.commits()).isZero();
        assertThat(app.ids.issued()).as("a correlation id was generated for the refused item").isEqualTo(1);
    }

    @Test
    void capsAreEnforcedInsideTheBatchInOrder() {
        app.withPolicy(p -> p.withCaps(GuardrailCaps.of(2, 0)));

        List<BatchItemResult> results = app.recordBatch(aReport().forTask("t1"), aReport().forTask("t2"),
                aReport().forTask("t3"), aReport().forTask("t1"));

        assertThat(results).extracting(r -> success(r).chargeState())
                .containsExactly(ChargeState.QUALIFIED, ChargeState.QUALIFIED, ChargeState.PENDING_REVIEW, null);
        assertThat(success(results.get(3)).duplicate()).isTrue();
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
