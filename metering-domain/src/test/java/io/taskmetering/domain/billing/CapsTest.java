package io.taskmetering.domain.billing;

import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.SubscriptionRef;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CapsTest {
    private static final SubscriptionRef CONTOSO = SubscriptionRef.of("sub-contoso-001");
    private static final SubscriptionRef FABRIKAM = SubscriptionRef.of("sub-fabrikam-001");

    @Test
    void zeroMeansUnlimited() {
        assertThat(CapLimits.UNLIMITED.check(1_000_000, 10_000_000)).isSameAs(CapVerdict.WithinCaps.INSTANCE);
        assertThat(new CapLimits(0, 5).check(1_000, 0)).isSameAs(CapVerdict.WithinCaps.INSTANCE);
        assertThat(new CapLimits(5, 0).check(0, 1_000)).isSameAs(CapVerdict.WithinCaps.INSTANCE);
    }

    @Test
    void theHourlyCapAdmitsUpToItsValue() {
        CapLimits limits = new CapLimits(3, 0);

        assertThat(limits.check(2, 2)).isSameAs(CapVerdict.WithinCaps.INSTANCE);
        assertThat(limits.check(3, 3)).isEqualTo(new CapVerdict.OverCap(CapType.HOURLY, 3, 4));
    }

    @Test
    void theDailyCapCountsTheWholeDay() {
        CapLimits limits = new CapLimits(0, 5);

        assertThat(limits.check(0, 4)).isSameAs(CapVerdict.WithinCaps.INSTANCE);
        assertThat(limits.check(0, 5)).isEqualTo(new CapVerdict.OverCap(CapType.DAILY, 5, 6));
    }

    @Test
    void anOutcomeOverBothCapsIsReportedOverTheHourlyOne() {
        CapLimits limits = new CapLimits(2, 2);

        assertThat(limits.check(2, 2)).isEqualTo(new CapVerdict.OverCap(CapType.HOURLY, 2, 3));
        assertThat(limits.check(1, 2)).isEqualTo(new CapVerdict.OverCap(CapType.DAILY, 2, 3));
    }

    @Test
    void negativeCapsAreRefusedNamingTheirField() {
        assertThatThrownBy(() -> new CapLimits(-1, 0))
                .isInstanceOf(InvalidValueException.class)
                .extracting(e -> ((InvalidValueException) e).field()).isEqualTo("cap_hourly");
        assertThatThrownBy(() -> new CapLimits(0, -1))
                .isInstanceOf(InvalidValueException.class)
                .extracting(e -> ((InvalidValueException) e).field()).isEqualTo("cap_daily");
    }

    @Test
    void aSubscriptionOverrideReplacesTheDefaults() {
        GuardrailCaps caps = GuardrailCaps.of(10, 100).withOverride(CONTOSO, new CapLimits(1, 0));

        assertThat(caps.limitsFor(CONTOSO)).isEqualTo(new CapLimits(1, 0));
        assertThat(caps.limitsFor(FABRIKAM)).isEqualTo(new CapLimits(10, 100));
        assertThat(caps.limitsFor(CONTOSO).check(0, 500)).isSameAs(CapVerdict.WithinCaps.INSTANCE);
        assertThat(caps.limitsFor(CONTOSO).check(1, 1)).isEqualTo(new CapVerdict.OverCap(CapType.HOURLY, 1, 2));
    }

    @Test
    void anOverrideOfZeroLiftsTheDefaultCapForThatSubscription() {
        GuardrailCaps caps = GuardrailCaps.of(1, 1).withOverride(CONTOSO, CapLimits.UNLIMITED);

        assertThat(caps.limitsFor(CONTOSO).check(50, 50)).isSameAs(CapVerdict.WithinCaps.INSTANCE);
        assertThat(caps.limitsFor(FABRIKAM).check(1, 1)).isInstanceOf(CapVerdict.OverCap.class);
    }

    @Test
    void addingAnOverrideLeavesTheOriginalUnchanged() {
        GuardrailCaps original = GuardrailCaps.unlimited();
        GuardrailCaps changed = original.withOverride(CONTOSO, new CapLimits(1, 1));

        assertThat(original.overrides()).isEmpty();
        assertThat(changed.overrides()).containsOnlyKeys(CONTOSO);
        assertThat(new GuardrailCaps(CapLimits.UNLIMITED, null).overrides()).isEmpty();
        assertThatThrownBy(() -> changed.overrides().put(FABRIKAM, CapLimits.UNLIMITED))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void capPeriodsAreTheSubscriptionsHourAndUtcDay() {
        BillingHour hour = BillingHour.parse("2025-06-01T23:00:00Z");

        assertThat(CapPeriod.hourOf(CONTOSO, hour)).isEqualTo(new CapPeriod(CONTOSO, CapType.HOURLY, hour.start()));
        assertThat(CapPeriod.dayOf(CONTOSO, hour))
                .isEqualTo(new CapPeriod(CONTOSO, CapType.DAILY, Instant.parse("2025-06-01T00:00:00Z")));
        assertThat(CapPeriod.dayOf(CONTOSO, hour.next()).start()).isEqualTo(Instant.parse("2025-06-02T00:00:00Z"));
    }

    @Test
    void capPeriodsSortBySubscriptionThenTypeThenStart() {
        BillingHour hour = BillingHour.parse("2025-06-01T14:00:00Z");
        TreeSet<CapPeriod> sorted = new TreeSet<>();
        sorted.add(CapPeriod.dayOf(FABRIKAM, hour));
        sorted.add(CapPeriod.hourOf(CONTOSO, hour.next()));
        sorted.add(CapPeriod.dayOf(CONTOSO, hour));
        sorted.add(CapPeriod.hourOf(CONTOSO, hour));

        assertThat(sorted).containsExactly(CapPeriod.hourOf(CONTOSO, hour), CapPeriod.hourOf(CONTOSO, hour.next()),
                CapPeriod.dayOf(CONTOSO, hour), CapPeriod.dayOf(FABRIKAM, hour));
        assertThat(CapType.HOURLY.wireName()).isEqualTo("hourly");
        assertThat(CapType.DAILY.wireName()).isEqualTo("daily");
    }
}
