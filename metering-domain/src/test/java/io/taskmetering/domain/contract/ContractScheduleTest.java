package io.taskmetering.domain.contract;

import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.SubscriptionRef;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContractScheduleTest {
    private static final SubscriptionRef ACME = SubscriptionRef.of("sub-acme");
    private static final SubscriptionRef GLOBEX = SubscriptionRef.of("sub-globex");
    private static final Instant T = Instant.parse("2026-03-01T10:30:00Z");

    private static ContractActivation global(Instant from, String version) {
        return new ContractActivation(ContractScope.global(), from, version);
    }

    private static ContractActivation own(SubscriptionRef subscription, Instant from, String version) {
        return new ContractActivation(ContractScope.of(subscription), from, version);
    }

    @Test
    void withoutActivationsTheBootstrapVersionDecidesFromTheBeginningOfTime() {
        ContractSchedule schedule = new ContractSchedule("boot", List.of());

        assertThat(schedule.versionAt(ACME, Instant.EPOCH)).isEqualTo("boot");
        assertThat(schedule.versionAt(ACME, Instant.parse("0001-01-01T00:00:00Z"))).isEqualTo("boot");
        assertThat(schedule.periods()).containsExactly(new ContractPeriod(ContractScope.global(), "boot", null, null));
    }

    @Test
    void aGlobalActivationDecidesFromItsInstantOnByOccurredAt() {
        ContractSchedule schedule = new ContractSchedule("boot", List.of(global(T, "v2")));

        assertThat(schedule.versionAt(ACME, T.minusNanos(1_000))).isEqualTo("boot");
        assertThat(schedule.versionAt(ACME, T.minusNanos(1))).isEqualTo("boot");
        assertThat(schedule.versionAt(ACME, T)).isEqualTo("v2");
        assertThat(schedule.versionAt(ACME, T.plusNanos(1_000))).isEqualTo("v2");
        assertThat(schedule.versionAt(GLOBEX, T.plusSeconds(86_400 * 365))).isEqualTo("v2");
    }

    @Test
    void aSubscriptionsOwnActivationWinsOverTheGlobalScheduleForThatSubscriptionOnly() {
        ContractSchedule schedule = new ContractSchedule("boot",
                List.of(global(T, "v2"), own(ACME, T.plusSeconds(60), "acme-v1")));

        assertThat(schedule.versionAt(ACME, T.plusSeconds(59))).isEqualTo("v2");
        assertThat(schedule.versionAt(ACME, T.plusSeconds(60))).isEqualTo("acme-v1");
        assertThat(schedule.versionAt(GLOBEX, T.plusSeconds(60))).isEqualTo("v2");
    }

    @Test
    void aLaterGlobalActivationDoesNotOverrideAnEffectiveSubscriptionActivation() {
        ContractSchedule schedule = new ContractSchedule("boot",
                List.of(own(ACME, T, "acme-v1"), global(T.plusSeconds(3600), "v3")));

        assertThat(schedule.versionAt(ACME, T.plusSeconds(7200))).isEqualTo("acme-v1");
        assertThat(schedule.versionAt(GLOBEX, T.plusSeconds(7200))).isEqualTo("v3");
        // Before its own schedule starts, the subscription follows the global one.
        assertThat(schedule.versionAt(ACME, T.minusSeconds(1))).isEqualTo("boot");
    }

    @Test
    void periodsSayWhereAndWhenEachVersionApplies() {
        Instant later = T.plusSeconds(3600);
        ContractSchedule schedule = new ContractSchedule("boot",
                List.of(global(later, "v3"), own(ACME, T, "acme-v1"), global(T, "v2")));

        assertThat(schedule.periods()).containsExactly(
                new ContractPeriod(ContractScope.global(), "boot", null, T),
                new ContractPeriod(ContractScope.global(), "v2", T, later),
                new ContractPeriod(ContractScope.global(), "v3", later, null),
                new ContractPeriod(ContractScope.of(ACME), "acme-v1", T, null));
        assertThat(schedule.periodsOf("v2")).containsExactly(new ContractPeriod(ContractScope.global(), "v2", T, later));
        assertThat(schedule.periodsOf("unused")).isEmpty();
    }

    @Test
    void twoActivationsOfOneScopeAtOneInstantAreRefused() {
        assertThatThrownBy(() -> new ContractSchedule("boot", List.of(global(T, "v2"), global(T, "v3"))))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("effective_from"));
        // The same instant in different scopes is fine.
        assertThat(new ContractSchedule("boot", List.of(global(T, "v2"), own(ACME, T, "v3"))).versionAt(ACME, T))
                .isEqualTo("v3");
    }

    @Test
    void anActivationNeedsWholeMicroseconds() {
        assertThatThrownBy(() -> global(T.plusNanos(1), "v2"))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("effective_from"));
        assertThat(global(T.plusNanos(1_000), "v2").effectiveFrom()).isEqualTo(T.plusNanos(1_000));
    }

    @Test
    void activationIsRefusedBeforeTheEndOfTheLastClosedHourAndAdmittedAtIt() {
        BillingHour closed = BillingHour.containing(T); // 10:00–11:00
        Instant end = closed.end();

        assertThat(ContractSchedule.check(global(end.minusNanos(1_000), "v2"), Optional.of(closed)))
                .isEqualTo(new ActivationCheck.IntoClosedHour(closed));
        assertThat(ContractSchedule.check(global(closed.start(), "v2"), Optional.of(closed)))
                .isInstanceOf(ActivationCheck.IntoClosedHour.class);
        assertThat(ContractSchedule.check(global(end, "v2"), Optional.of(closed)))
                .isInstanceOf(ActivationCheck.Admissible.class);
        assertThat(ContractSchedule.check(global(end.plusNanos(1_000), "v2"), Optional.of(closed)))
                .isInstanceOf(ActivationCheck.Admissible.class);
        assertThat(new ActivationCheck.IntoClosedHour(closed).earliestEffectiveFrom()).isEqualTo(end);
    }

    @Test
    void withNoClosedHourAnyInstantIsAdmissibleEvenInThePast() {
        assertThat(ContractSchedule.check(global(Instant.EPOCH, "v2"), Optional.empty()))
                .isInstanceOf(ActivationCheck.Admissible.class);
    }
}
