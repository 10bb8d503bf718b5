package io.taskmetering.bootstrap;

import io.taskmetering.application.model.Reconciliation;
import io.taskmetering.application.port.in.ReconcileResult;
import io.taskmetering.application.port.in.ReconcileUseCase;
import io.taskmetering.domain.testdata.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The scheduler reconciles the previous UTC day once a day, from the configured time on, and retries a failed ask. */
class ScheduledReconciliationTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T01:59:00Z"));
    private final List<LocalDate> asked = new ArrayList<>();
    private final List<ReconcileResult> answers = new ArrayList<>();

    private final ReconcileUseCase reconcile = command -> {
        asked.add(command.day());
        return answers.isEmpty() ? new ReconcileResult.Reconciled(new Reconciliation("run-" + asked.size(),
                command.day(), clock.instant(), 0, 0, List.of())) : answers.remove(0);
    };

    private final BillingScheduler scheduler = new BillingScheduler(null, null, null, reconcile, LocalTime.of(2, 0),
            Duration.ofMinutes(1), clock, () -> true, run -> { }, null, Duration.ofSeconds(1), run -> { });

    @Test
    void thePreviousDayIsReconciledOnceFromTheConfiguredTime() {
        assertThat(scheduler.reconcileDue()).as("before 02:00").isEmpty();

        clock.advance(Duration.ofMinutes(1));
        assertThat(scheduler.reconcileDue()).containsInstanceOf(ReconcileResult.Reconciled.class);
        clock.advance(Duration.ofHours(3));
        assertThat(scheduler.reconcileDue()).as("the same day again").isEmpty();

        clock.advance(Duration.ofDays(1));
        scheduler.reconcileDue();
        assertThat(asked).containsExactly(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-02"));
    }

    @Test
    void aMarketplaceThatCouldNotBeAskedIsAskedAgainAtTheNextRunAndDryRunIsNot() {
        clock.setTo("2026-03-02T02:00:00Z");
        answers.add(new ReconcileResult.MarketplaceUnavailable("http_503"));
        assertThat(scheduler.reconcileDue()).contains(new ReconcileResult.MarketplaceUnavailable("http_503"));
        assertThat(scheduler.reconcileDue()).containsInstanceOf(ReconcileResult.Reconciled.class);

        clock.advance(Duration.ofDays(1));
        answers.add(new ReconcileResult.NothingToCompare());
        assertThat(scheduler.reconcileDue()).contains(new ReconcileResult.NothingToCompare());
        assertThat(scheduler.reconcileDue()).isEqualTo(Optional.empty());
        assertThat(asked).hasSize(3);
    }
}
