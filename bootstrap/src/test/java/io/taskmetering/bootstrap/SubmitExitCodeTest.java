package io.taskmetering.bootstrap;

import io.taskmetering.application.model.SubmissionStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** `submit` runs from cron: its exit code says whether the pass settled every hour it sent. */
class SubmitExitCodeTest {

    @Test
    void nothingToSubmitOrEverythingSettledIsZero() {
        assertThat(Main.submitExitCode(List.of())).isZero();
        assertThat(Main.submitExitCode(List.of(SubmissionStatus.ACCEPTED, SubmissionStatus.DUPLICATE_ACCEPTED,
                SubmissionStatus.DRY_RUN))).isZero();
    }

    @Test
    void anHourLeftForTheNextRunIsATemporaryFailure() {
        assertThat(Main.submitExitCode(List.of(SubmissionStatus.ACCEPTED, SubmissionStatus.RETRY_LATER)))
                .isEqualTo(Main.SUBMIT_RETRY_LATER);
    }

    @ParameterizedTest
    @EnumSource(value = SubmissionStatus.class, names = {"DISCREPANCY", "EXPIRED", "REJECTED", "UNAUTHORIZED"})
    void anHourThatNeedsAPersonOutranksOneLeftToRetry(SubmissionStatus status) {
        assertThat(Main.submitExitCode(List.of(SubmissionStatus.RETRY_LATER, status, SubmissionStatus.ACCEPTED)))
                .isEqualTo(Main.SUBMIT_NEEDS_ATTENTION);
    }
}
