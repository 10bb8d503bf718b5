package io.taskmetering.bootstrap;

import io.taskmetering.application.model.Reconciliation;
import io.taskmetering.application.model.Reconciliation.Difference;
import io.taskmetering.application.port.in.ReconcileResult;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.SubscriptionRef;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** `reconcile --day D` runs from cron: its exit code says whether every hour matched the Marketplace. */
class ReconcileExitCodeTest {
    private static final LocalDate DAY = LocalDate.parse("2026-03-01");
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int exitCode(ReconcileResult result) {
        return Main.reconcileExitCode(result, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static Reconciliation run(List<Difference> differences) {
        return new Reconciliation("run-1", DAY, Instant.parse("2026-03-02T02:00:00Z"), 2, 2 - differences.size(),
                differences);
    }

    @Test
    void everyHourMatchingIsZeroAndAnyDifferenceIsThree() {
        assertThat(exitCode(new ReconcileResult.Reconciled(run(List.of())))).isZero();
        assertThat(exitCode(new ReconcileResult.Reconciled(run(List.of(new Difference(Reconciliation.Kind.MISMATCHED,
                SubscriptionRef.of("sub-1"), Dimension.TASK_COMPLETED, BillingHour.parse("2026-03-01T10:00:00Z"), 2,
                new BigDecimal("7"))))))).isEqualTo(Main.RECONCILE_DIFFERENCES);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("reconciled 2026-03-01: 2 hour(s) compared, 1 matching, 1 mismatched")
                .contains("mismatched sub-1 task_completed 2026-03-01T10:00:00Z ours=2 theirs=7");
    }

    @Test
    void dryRunSaysThereIsNothingToCompareAndAFailedAskIsATemporaryFailure() {
        assertThat(exitCode(new ReconcileResult.NothingToCompare())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("nothing to compare against");
        assertThat(exitCode(new ReconcileResult.MarketplaceUnavailable("http_503")))
                .isEqualTo(Main.RECONCILE_RETRY_LATER);
        assertThat(exitCode(new ReconcileResult.DayOutOfRange(DAY, DAY))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("http_503").contains("--day must be between");
    }
}
