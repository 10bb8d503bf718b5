package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.Reconciliation;
import io.taskmetering.application.model.Reconciliation.Difference;
import io.taskmetering.application.model.Reconciliation.Kind;
import io.taskmetering.domain.common.Dimension;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static io.taskmetering.adapter.persistence.Fixtures.HOUR;
import static io.taskmetering.adapter.persistence.Fixtures.SUB;
import static io.taskmetering.adapter.persistence.Fixtures.SUB2;
import static io.taskmetering.adapter.persistence.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SaveReconciliationsPort and LoadReconciliationsPort: runs stored once under their id, the day's latest read back. */
abstract class ReconciliationStoreContract extends StoreContract {
    private static final LocalDate DAY = LocalDate.parse("2026-02-06");
    private static final List<Difference> DIFFERENCES = List.of(
            new Difference(Kind.MISMATCHED, SUB, Dimension.TASK_COMPLETED, HOUR, 2, new BigDecimal("3.5")),
            new Difference(Kind.MISSING_AT_MARKETPLACE, SUB, Dimension.TASK_COMPLETED, HOUR.next(), 1, BigDecimal.ZERO),
            new Difference(Kind.MISSING_HERE, SUB2, Dimension.TASK_COMPLETED, HOUR, 0, new BigDecimal("4")));

    private void insert(Reconciliation run) {
        ports.unitOfWork().run(() -> ports.saveReconciliations().insertReconciliation(run));
    }

    @Test
    void aRunIsReadBackWithItsDifferencesInOrder() {
        Reconciliation run = new Reconciliation("run-1", DAY, T0, 5, 2, List.of(DIFFERENCES.get(2), DIFFERENCES.get(0),
                DIFFERENCES.get(1)));
        insert(run);

        assertThat(ports.loadReconciliations().findLatestReconciliation(DAY)).contains(
                new Reconciliation("run-1", DAY, T0, 5, 2, DIFFERENCES));
        assertThat(ports.loadReconciliations().findLatestReconciliation(DAY.plusDays(1))).isEmpty();
        assertThat(ports.loadReconciliations().findLatestReconciliation(DAY.minusDays(1))).isEmpty();
    }

    @Test
    void theLatestRunOfADayIsTheOneReadBack() {
        insert(new Reconciliation("run-b", DAY, T0, 3, 0, DIFFERENCES));
        insert(new Reconciliation("run-a", DAY, T0.plusSeconds(60), 3, 3, List.of()));
        insert(new Reconciliation("run-c", DAY.plusDays(1), T0.plusSeconds(3600 * 24), 0, 0, List.of()));

        assertThat(ports.loadReconciliations().findLatestReconciliation(DAY)).get()
                .satisfies(r -> assertThat(r.runId()).isEqualTo("run-a"))
                .satisfies(r -> assertThat(r.differences()).isEmpty());
        assertThat(ports.loadReconciliations().findLatestReconciliation(DAY.plusDays(1))).get()
                .satisfies(r -> assertThat(r.runId()).isEqualTo("run-c"));
    }

    @Test
    void aRunIdIsStoredOnce() {
        insert(new Reconciliation("run-1", DAY, T0, 0, 0, List.of()));

        assertThatThrownBy(() -> insert(new Reconciliation("run-1", DAY, T0.plusSeconds(1), 1, 1, List.of())))
                .isInstanceOf(RuntimeException.class);
        assertThat(ports.loadReconciliations().findLatestReconciliation(DAY)).get()
                .satisfies(r -> assertThat(r.ranAt()).isEqualTo(T0));
    }
}
