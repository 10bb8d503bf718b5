package io.taskmetering.domain.billing;

import io.taskmetering.domain.common.InvalidValueException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BillingHourTest {

    @Test
    void theHourContainingAnInstantStartsAtItsTopInUtc() {
        BillingHour hour = BillingHour.containing(Instant.parse("2025-06-01T14:59:59.999999999Z"));

        assertThat(hour.start()).isEqualTo(Instant.parse("2025-06-01T14:00:00Z"));
        assertThat(hour.end()).isEqualTo(Instant.parse("2025-06-01T15:00:00Z"));
        assertThat(BillingHour.containing(Instant.parse("2025-06-01T15:00:00Z")).start())
                .isEqualTo(Instant.parse("2025-06-01T15:00:00Z"));
    }

    @Test
    void refusesAStartThatIsNotTheTopOfAnHour() {
        assertThatThrownBy(() -> new BillingHour(Instant.parse("2025-06-01T14:00:01Z")))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("top of a UTC hour")
                .extracting(e -> ((InvalidValueException) e).field()).isEqualTo("hour");
        assertThatThrownBy(() -> new BillingHour(null))
                .isInstanceOf(InvalidValueException.class)
                .extracting(e -> ((InvalidValueException) e).field()).isEqualTo("hour");
    }

    @Test
    void parsesAndPrintsTheMarketplaceFormat() {
        BillingHour hour = BillingHour.parse("2025-06-01T14:00:00Z");

        assertThat(hour.toString()).isEqualTo("2025-06-01T14:00:00Z");
        assertThatThrownBy(() -> BillingHour.parse("2025-06-01 14:00"))
                .isInstanceOf(InvalidValueException.class)
                .extracting(e -> ((InvalidValueException) e).field()).isEqualTo("hour");
        assertThatThrownBy(() -> BillingHour.parse("2025-06-01T14:30:00Z"))
                .isInstanceOf(InvalidValueException.class);
    }

    @Test
    void nextAndPreviousCrossTheDayBoundary() {
        BillingHour lastOfDay = BillingHour.parse("2025-06-01T23:00:00Z");

        assertThat(lastOfDay.next()).isEqualTo(BillingHour.parse("2025-06-02T00:00:00Z"));
        assertThat(lastOfDay.next().previous()).isEqualTo(lastOfDay);
        assertThat(lastOfDay.day()).isEqualTo(LocalDate.of(2025, 6, 1));
        assertThat(lastOfDay.next().day()).isEqualTo(LocalDate.of(2025, 6, 2));
        assertThat(lastOfDay.dayStart()).isEqualTo(Instant.parse("2025-06-01T00:00:00Z"));
    }

    @Test
    void ordersChronologically() {
        BillingHour earlier = BillingHour.parse("2025-06-01T13:00:00Z");
        BillingHour later = BillingHour.parse("2025-06-01T14:00:00Z");

        assertThat(earlier).isLessThan(later);
        assertThat(later.compareTo(earlier)).isPositive();
        assertThat(earlier.compareTo(BillingHour.parse("2025-06-01T13:00:00Z"))).isZero();
    }
}
