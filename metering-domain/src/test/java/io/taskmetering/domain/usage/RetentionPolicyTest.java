package io.taskmetering.domain.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskmetering.domain.common.InvalidValueException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetentionPolicyTest {
    private static final Instant NOW = Instant.parse("2026-02-06T14:30:00Z");

    @Test
    void daysBuildsADayTtl() {
        assertThat(RetentionPolicy.days(30)).isEqualTo(new RetentionPolicy(Duration.ofDays(30)));
        assertThat(RetentionPolicy.days(30).ttl().toSeconds()).isEqualTo(2_592_000);
    }

    @Test
    void requiresATtl() {
        assertThatThrownBy(() -> new RetentionPolicy(null))
                .isInstanceOf(InvalidValueException.class)
                .extracting(e -> ((InvalidValueException) e).field())
                .isEqualTo("retention");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -30})
    void refusesATtlThatIsNotPositive(long days) {
        assertThatThrownBy(() -> RetentionPolicy.days(days))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("retention: must be positive");
        assertThatThrownBy(() -> new RetentionPolicy(Duration.ofSeconds(days)))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("retention: must be positive");
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MAX_VALUE, Long.MIN_VALUE})
    void refusesDaysADurationCannotHold(long days) {
        assertThatThrownBy(() -> RetentionPolicy.days(days))
                .isInstanceOf(InvalidValueException.class)
                .extracting(e -> ((InvalidValueException) e).field())
                .isEqualTo("retention");
    }

    @Test
    void aOneNanosecondTtlIsPositive() {
        assertThat(new RetentionPolicy(Duration.ofNanos(1)).cutoff(NOW)).isEqualTo(NOW.minusNanos(1));
    }

    @Test
    void cutoffIsNowMinusTtl() {
        assertThat(RetentionPolicy.days(7).cutoff(NOW)).isEqualTo(Instant.parse("2026-01-30T14:30:00Z"));
    }

    @Test
    void onlyWhatIsStrictlyOlderThanTheCutoffExpires() {
        RetentionPolicy week = RetentionPolicy.days(7);
        Instant cutoff = week.cutoff(NOW);

        assertThat(week.isExpired(cutoff.minus(1, ChronoUnit.MICROS), NOW)).isTrue();
        assertThat(week.isExpired(cutoff, NOW)).isFalse();
        assertThat(week.isExpired(cutoff.plus(1, ChronoUnit.MICROS), NOW)).isFalse();
        assertThat(week.isExpired(NOW, NOW)).isFalse();
        assertThat(week.isExpired(NOW.plusSeconds(60), NOW)).isFalse();
    }

    @Test
    void aTtlLongerThanTimeExpiresNothing() {
        RetentionPolicy forever = RetentionPolicy.days(Long.MAX_VALUE / 86_400);

        assertThat(forever.cutoff(NOW)).isEqualTo(Instant.MIN);
        assertThat(forever.isExpired(Instant.MIN, NOW)).isFalse();
    }
}
