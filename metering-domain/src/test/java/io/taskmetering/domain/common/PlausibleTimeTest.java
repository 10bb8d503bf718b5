package io.taskmetering.domain.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlausibleTimeTest {
    private static final Instant NOW = Instant.parse("2026-03-02T10:20:00Z");

    @ParameterizedTest
    @ValueSource(strings = {"2000-01-01T00:00:00Z", "2026-03-02T10:25:00Z", "9999-12-31T23:59:59.999999999Z"})
    void acceptsTheEdgesOfTheRange(String text) {
        Instant instant = Instant.parse(text);
        assertThat(PlausibleTime.requireInRange("from", instant)).isEqualTo(instant);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1999-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z"})
    void refusesInstantsOutsideTheRangeNamingTheField(String text) {
        assertThatThrownBy(() -> PlausibleTime.requireInRange("from", Instant.parse(text)))
                .isInstanceOf(InvalidValueException.class)
                .extracting(e -> ((InvalidValueException) e).field())
                .isEqualTo("from");
    }

    @Test
    void anEventTimeMayLieUpToFiveMinutesAhead() {
        Instant edge = NOW.plus(PlausibleTime.MAX_AHEAD);
        assertThat(PlausibleTime.requireEventTime("occurred_at", edge, NOW)).isEqualTo(edge);
        assertThatThrownBy(() -> PlausibleTime.requireEventTime("occurred_at", edge.plusNanos(1), NOW))
                .isInstanceOf(InvalidValueException.class)
                .extracting(e -> ((InvalidValueException) e).field())
                .isEqualTo("occurred_at");
    }

    @Test
    void anEventTimeIsAlsoHeldToTheRange() {
        assertThatThrownBy(() -> PlausibleTime.requireEventTime("timestamp", Instant.parse("1999-12-31T00:00:00Z"), NOW))
                .isInstanceOf(InvalidValueException.class);
    }

    @Test
    void absentStaysAbsent() {
        assertThat(PlausibleTime.requireEventTime("occurred_at", null, NOW)).isNull();
    }
}
