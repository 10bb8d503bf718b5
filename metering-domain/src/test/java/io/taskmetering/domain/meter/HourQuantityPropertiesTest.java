package io.taskmetering.domain.meter;

import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.CapLimits;
import io.taskmetering.domain.billing.GuardrailCaps;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.meter.ReportStream.Report;
import io.taskmetering.domain.testdata.MutableClock;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Billing property (b): the quantity of an hour equals the number of QUALIFIED charges counted in it — while it is
 * open, and in the usage event it closes into — whatever was held at caps or for ambiguity, and however late.
 */
class HourQuantityPropertiesTest {

    @Provide
    Arbitrary<List<Report>> reports() {
        return ReportStream.reports(true).list().ofMinSize(1).ofMaxSize(50);
    }

    @Property(tries = 300)
    void hourQuantityEqualsTheQualifiedChargesCountedInIt(@ForAll("reports") List<Report> generated,
                                                          @ForAll long seed,
                                                          @ForAll @IntRange(min = 0, max = 4) int hourlyCap,
                                                          @ForAll @IntRange(min = 0, max = 12) int dailyCap,
                                                          @ForAll @IntRange(min = 0, max = 3) int capOverride) {
        MutableClock clock = new MutableClock(ReportStream.BASE);
        GuardrailCaps caps = GuardrailCaps.of(hourlyCap, dailyCap)
                .withOverride(SubscriptionRef.of("sub-c"), new CapLimits(capOverride, 0));
        OutcomeMeter meter = OutcomeMeter.builder().clock(clock).caps(caps).build();

        ReportStream.feed(meter, clock, ReportStream.arrivalOrder(generated, List.of(), seed));

        Map<BucketKey, Long> qualified = qualifiedPerHour(meter.charges());
        Set<BucketKey> hours = new HashSet<>(qualified.keySet());
        meter.usageEvents().forEach(e -> hours.add(e.key()));
        for (BucketKey hour : hours) {
            assertThat(meter.quantity(hour)).as("quantity of %s", hour).isEqualTo(qualified.getOrDefault(hour, 0L));
        }
        assertThat(meter.charges()).filteredOn(c -> c.state() == ChargeState.PENDING_REVIEW)
                .allSatisfy(c -> assertThat(c.counted()).isFalse());

        meter.closeDueHours(ReportStream.FAR_FUTURE);

        Map<BucketKey, Long> events = new HashMap<>();
        for (UsageEvent event : meter.usageEvents()) {
            assertThat(events.put(event.key(), event.quantity())).as("one event per hour").isNull();
        }
        assertThat(events).isEqualTo(qualified);
        assertThat(events.values()).allSatisfy(quantity -> assertThat(quantity).isPositive());

        Statistics.label("held at a cap").collect(!meter.anomalies().isEmpty());
        Statistics.label("held at a cap").coverage(c -> c.check(true).percentage(p -> p > 20));
    }

    private static Map<BucketKey, Long> qualifiedPerHour(List<Charge> charges) {
        Map<BucketKey, Long> counts = new HashMap<>();
        for (Charge charge : charges) {
            if (charge.state() == ChargeState.QUALIFIED && charge.counted()) {
                counts.merge(new BucketKey(charge.key().subscription(), charge.key().dimension(), charge.billingHour()),
                        1L, Long::sum);
            }
        }
        return counts;
    }
}
