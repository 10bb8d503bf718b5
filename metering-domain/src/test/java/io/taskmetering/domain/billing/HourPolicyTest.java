package io.taskmetering.domain.billing;

import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.PlausibleTime;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HourPolicyTest {
    private static final BillingHour H14 = BillingHour.parse("2025-06-01T14:00:00Z");
    private static final BillingHour H15 = BillingHour.parse("2025-06-01T15:00:00Z");
    private static final BillingHour H16 = BillingHour.parse("2025-06-01T16:00:00Z");
    private final HourPolicy policy = HourPolicy.defaults();

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    @Nested
    class Grace {
        @Test
        void defaultsToTenMinutes() {
            assertThat(HourPolicy.defaults().grace()).isEqualTo(Duration.ofMinutes(10));
            assertThat(HourPolicy.DEFAULT_GRACE).isEqualTo(Duration.ofMinutes(10));
        }

        @Test
        void mayBeZeroOrUpTo23Hours() {
            assertThat(new HourPolicy(Duration.ZERO).closesAt(H14)).isEqualTo(H14.end());
            assertThat(new HourPolicy(Duration.ofHours(23)).closesAt(H14)).isEqualTo(at("2025-06-02T14:00:00Z"));
        }

        @Test
        void refusesNegativeOrMissingOrLongerThan23Hours() {
            assertThatThrownBy(() -> new HourPolicy(Duration.ofSeconds(-1)))
                    .isInstanceOf(InvalidValueException.class)
                    .extracting(e -> ((InvalidValueException) e).field()).isEqualTo("hour_grace");
            assertThatThrownBy(() -> new HourPolicy(null))
                    .isInstanceOf(InvalidValueException.class)
                    .extracting(e -> ((InvalidValueException) e).field()).isEqualTo("hour_grace");
            assertThatThrownBy(() -> new HourPolicy(Duration.ofHours(23).plusNanos(1)))
                    .isInstanceOf(InvalidValueException.class)
                    .hasMessageContaining("PT23H");
        }
    }

    @Nested
    class Closing {
        @Test
        void anHourClosesAtItsEndPlusGrace() {
            assertThat(policy.closesAt(H14)).isEqualTo(at("2025-06-01T15:10:00Z"));
        }

        @Test
        void isOpenUntilTheLastNanosecondBeforeClosingAndClosedFromThen() {
            assertThat(policy.isClosed(H14, at("2025-06-01T15:09:59.999999999Z"))).isFalse();
            assertThat(policy.isClosed(H14, at("2025-06-01T15:10:00Z"))).isTrue();
            assertThat(policy.isClosed(H14, at("2025-06-01T14:30:00Z"))).isFalse();
        }

        @Test
        void theOldestOpenHourIsTheOneContainingNowMinusGrace() {
            assertThat(policy.oldestOpenHour(at("2025-06-01T15:09:59Z"))).isEqualTo(H14);
            assertThat(policy.oldestOpenHour(at("2025-06-01T15:10:00Z"))).isEqualTo(H15);
            assertThat(policy.oldestOpenHour(at("2025-06-01T15:05:00Z"))).isEqualTo(H14);
        }

        @Test
        void theNewestClosedHourIsTheOneBeforeTheOldestOpenOne() {
            assertThat(policy.newestClosedHour(at("2025-06-01T15:10:00Z"))).isEqualTo(H14);
            assertThat(policy.newestClosedHour(at("2025-06-01T15:09:00Z"))).isEqualTo(H14.previous());
            assertThat(policy.isClosed(policy.newestClosedHour(at("2025-06-01T15:10:00Z")), at("2025-06-01T15:10:00Z")))
                    .isTrue();
            assertThat(policy.isClosed(policy.oldestOpenHour(at("2025-06-01T15:10:00Z")), at("2025-06-01T15:10:00Z")))
                    .isFalse();
        }

        @Test
        void withoutGraceAnHourClosesAtItsEnd() {
            HourPolicy noGrace = new HourPolicy(Duration.ZERO);

            assertThat(noGrace.isClosed(H14, at("2025-06-01T15:00:00Z"))).isTrue();
            assertThat(noGrace.oldestOpenHour(at("2025-06-01T15:00:00Z"))).isEqualTo(H15);
        }
    }

    @Nested
    class Attribution {
        @Test
        void anOutcomeWhoseHourIsOpenIsBilledInItsOwnHour() {
            HourAttribution attribution = policy.attribute(at("2025-06-01T14:59:00Z"), at("2025-06-01T15:09:00Z"));

            assertThat(attribution).isEqualTo(new HourAttribution(H14, false));
        }

        @Test
        void anOutcomeArrivingAfterItsHourClosedIsBilledLateInTheOldestOpenHour() {
            HourAttribution attribution = policy.attribute(at("2025-06-01T14:59:00Z"), at("2025-06-01T15:10:00Z"));

            assertThat(attribution).isEqualTo(new HourAttribution(H15, true));
        }

        @Test
        void aVeryLateOutcomeStillLandsInTheOldestOpenHourNotTheOneAfterItsOwn() {
            HourAttribution attribution = policy.attribute(at("2025-06-01T10:30:00Z"), at("2025-06-01T16:20:00Z"));

            assertThat(attribution).isEqualTo(new HourAttribution(H16, true));
        }

        @Test
        void anOutcomeSlightlyInTheFutureIsAcceptedUpToTheSkew() {
            Instant now = at("2025-06-01T14:58:00Z");

            assertThat(policy.attribute(now.plus(PlausibleTime.MAX_AHEAD), now))
                    .isEqualTo(new HourAttribution(H15, false));
        }

        @Test
        void anOutcomeFurtherInTheFutureIsRefusedNamingOccurredAt() {
            Instant now = at("2025-06-01T14:58:00Z");
            Instant tooLate = now.plus(PlausibleTime.MAX_AHEAD).plusNanos(1);

            assertThatThrownBy(() -> policy.attribute(tooLate, now))
                    .isInstanceOf(InvalidValueException.class)
                    .hasMessageStartingWith("occurred_at:")
                    .hasMessageContaining("ahead of the server clock")
                    .extracting(e -> ((InvalidValueException) e).field()).isEqualTo("occurred_at");
        }
    }

    @Nested
    class Reattribution {
        @Test
        void aChargeForAnHourTheStoreClosedEarlyMovesToTheNextHour() {
            // The clock says 14:00 is still open, but a close won the race: the next hour takes the charge.
            assertThat(policy.reattribute(H14, at("2025-06-01T15:05:00Z"))).isEqualTo(new HourAttribution(H15, true));
        }

        @Test
        void aChargeForALongClosedHourMovesToTheOldestOpenHour() {
            assertThat(policy.reattribute(H14, at("2025-06-01T16:15:00Z"))).isEqualTo(new HourAttribution(H16, true));
        }

        @Test
        void placeKeepsAnOpenHour() {
            HourAttribution wanted = new HourAttribution(H14, false);

            assertThat(policy.place(wanted, hour -> false, at("2025-06-01T14:30:00Z"))).isSameAs(wanted);
        }

        @Test
        void placeSkipsEveryHourClosedInTheStore() {
            Set<BillingHour> closedInStore = Set.of(H14, H15);

            HourAttribution placed = policy.place(new HourAttribution(H14, false), closedInStore::contains,
                    at("2025-06-01T15:05:00Z"));

            assertThat(placed).isEqualTo(new HourAttribution(H16, true));
        }

        @Test
        void placeMovesAnHourClosedByTheClockToTheOldestOpenOne() {
            HourAttribution placed = policy.place(new HourAttribution(H14, false), hour -> false,
                    at("2025-06-01T16:30:00Z"));

            assertThat(placed).isEqualTo(new HourAttribution(H16, true));
        }

        @Test
        void placeKeepsTheLateFlagOfAnAlreadyLateCharge() {
            HourAttribution placed = policy.place(new HourAttribution(H15, true), hour -> false,
                    at("2025-06-01T15:30:00Z"));

            assertThat(placed).isEqualTo(new HourAttribution(H15, true));
        }
    }
}
