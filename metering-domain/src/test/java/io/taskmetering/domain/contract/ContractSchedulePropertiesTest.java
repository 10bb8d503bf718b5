package io.taskmetering.domain.contract;

import io.taskmetering.domain.common.SubscriptionRef;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schedule against a reference written the slow way: for a subscription at an instant, the latest activation of
 * its own at or before the instant, else the latest global one, else the bootstrap version. Instants are small numbers
 * of seconds so that generated outcomes often fall exactly on, just before and just after activations.
 */
class ContractSchedulePropertiesTest {
    private static final List<SubscriptionRef> SUBSCRIPTIONS =
            List.of(SubscriptionRef.of("a"), SubscriptionRef.of("b"), SubscriptionRef.of("c"));
    private static final String BOOT = "boot";

    @Provide
    Arbitrary<List<ContractActivation>> activations() {
        Arbitrary<ContractScope> scope = Arbitraries.of(SUBSCRIPTIONS).injectNull(0.4).map(ContractScope::of);
        Arbitrary<Instant> from = Arbitraries.longs().between(0, 40).map(Instant::ofEpochSecond);
        Arbitrary<String> version = Arbitraries.of("v1", "v2", "v3", "v4");
        return Combinators.combine(scope, from, version).as(ContractActivation::new).list().ofMaxSize(12)
                .map(ContractSchedulePropertiesTest::onePerPlace);
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(-2, 42).map(Instant::ofEpochSecond)
                .flatMap(t -> Arbitraries.of(t, t.minusNanos(1_000), t.plusNanos(1_000)));
    }

    @Provide
    Arbitrary<SubscriptionRef> subscriptions() {
        return Arbitraries.of(SUBSCRIPTIONS);
    }

    @Property(tries = 500)
    void theVersionIsThatOfTheLatestEffectiveActivationOwnBeforeGlobal(@ForAll("activations") List<ContractActivation> activations,
                                                                        @ForAll("subscriptions") SubscriptionRef subscription,
                                                                        @ForAll("instants") Instant at) {
        ContractSchedule schedule = new ContractSchedule(BOOT, activations);

        assertThat(schedule.versionAt(subscription, at)).isEqualTo(reference(activations, subscription, at));
    }

    @Property(tries = 300)
    void theOrderActivationsAreGivenInDoesNotMatter(@ForAll("activations") List<ContractActivation> activations,
                                                     @ForAll long seed,
                                                     @ForAll("subscriptions") SubscriptionRef subscription,
                                                     @ForAll("instants") Instant at) {
        List<ContractActivation> shuffled = new ArrayList<>(activations);
        Collections.shuffle(shuffled, new Random(seed));

        assertThat(new ContractSchedule(BOOT, shuffled).versionAt(subscription, at))
                .isEqualTo(new ContractSchedule(BOOT, activations).versionAt(subscription, at));
    }

    @Property(tries = 300)
    void anotherSubscriptionsActivationsNeverChangeTheVersion(@ForAll("activations") List<ContractActivation> activations,
                                                              @ForAll("subscriptions") SubscriptionRef subscription,
                                                              @ForAll("instants") Instant at) {
        List<ContractActivation> withoutOthers = activations.stream()
                .filter(a -> a.scope().subscriptionOrNull() == null || a.scope().subscriptionOrNull().equals(subscription))
                .toList();

        assertThat(new ContractSchedule(BOOT, withoutOthers).versionAt(subscription, at))
                .isEqualTo(new ContractSchedule(BOOT, activations).versionAt(subscription, at));
    }

    @Property(tries = 300)
    void exactlyThePeriodCoveringAnOutcomeNamesItsVersion(@ForAll("activations") List<ContractActivation> activations,
                                                          @ForAll("subscriptions") SubscriptionRef subscription,
                                                          @ForAll("instants") Instant at) {
        ContractSchedule schedule = new ContractSchedule(BOOT, activations);
        List<ContractPeriod> own = covering(schedule.periods(), ContractScope.of(subscription), at);
        List<ContractPeriod> global = covering(schedule.periods(), ContractScope.global(), at);

        assertThat(own).hasSizeLessThanOrEqualTo(1);
        assertThat(global).hasSize(1);
        String expected = (own.isEmpty() ? global : own).get(0).version();
        assertThat(schedule.versionAt(subscription, at)).isEqualTo(expected);
    }

    private static List<ContractPeriod> covering(List<ContractPeriod> periods, ContractScope scope, Instant at) {
        return periods.stream()
                .filter(p -> p.scope().equals(scope))
                .filter(p -> p.effectiveFrom() == null || !at.isBefore(p.effectiveFrom()))
                .filter(p -> p.effectiveUntil() == null || at.isBefore(p.effectiveUntil()))
                .toList();
    }

    private static String reference(List<ContractActivation> activations, SubscriptionRef subscription, Instant at) {
        Comparator<ContractActivation> byInstant = Comparator.comparing(ContractActivation::effectiveFrom);
        return activations.stream()
                .filter(a -> subscription.equals(a.scope().subscriptionOrNull()) && !a.effectiveFrom().isAfter(at))
                .max(byInstant)
                .or(() -> activations.stream()
                        .filter(a -> a.scope().subscriptionOrNull() == null && !a.effectiveFrom().isAfter(at))
                        .max(byInstant))
                .map(ContractActivation::version)
                .orElse(BOOT);
    }

    /** Storage keeps one activation per scope and instant; generated lists keep the first. */
    private static List<ContractActivation> onePerPlace(List<ContractActivation> activations) {
        Map<List<Object>, ContractActivation> first = new LinkedHashMap<>();
        activations.forEach(a -> first.putIfAbsent(List.of(a.scope(), a.effectiveFrom()), a));
        return List.copyOf(first.values());
    }
}
