package io.taskmetering.domain.charge;

import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.HourAttribution;
import io.taskmetering.domain.common.InvalidValueException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.taskmetering.domain.testdata.ChargeBuilder.aHeldCharge;
import static io.taskmetering.domain.testdata.ChargeBuilder.aQualifiedCharge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LedgerEntryTest {
    private static final Instant AT = Instant.parse("2025-06-01T14:40:00Z");
    private static final String RULES = "billing-rules-v1";

    @Test
    void theFirstEntryRecordsTheChargeUnderCorrelationIdHashZero() {
        Charge charge = aQualifiedCharge().withCorrelationId("corr-1").build();

        LedgerEntry entry = LedgerEntry.recorded(charge, "system", "all gates passed", RULES);

        assertThat(entry.entryId()).isEqualTo("corr-1#0");
        assertThat(entry.type()).isEqualTo(LedgerEntryType.CHARGE);
        assertThat(entry.fromState()).isNull();
        assertThat(entry.toState()).isEqualTo(ChargeState.QUALIFIED);
        assertThat(entry.hour()).isEqualTo(charge.billingHour());
        assertThat(entry.key()).isEqualTo(charge.key());
        assertThat(entry.linkedEntryId()).isNull();
        assertThat(entry.at()).isEqualTo(charge.updatedAt());
        assertThat(entry.ruleVersion()).isEqualTo(RULES);
        assertThat(entry.actor()).isEqualTo("system");
    }

    @Test
    void onlyANewChargeIsRecorded() {
        Charge changed = aQualifiedCharge().build().invoice(AT).after();

        assertThatThrownBy(() -> LedgerEntry.recorded(changed, "system", "x", RULES))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyLaterEntryIsCorrelationIdHashVersionLinkedToTheFirst() {
        Charge charge = aHeldCharge().withCorrelationId("corr-7").build();
        List<LedgerEntry> entries = new ArrayList<>();
        entries.add(LedgerEntry.recorded(charge, "system", "held", RULES));
        List<ChargeTransition> transitions = new ArrayList<>();
        transitions.add(charge.approve(new HourAttribution(charge.billingHour(), false), AT));
        transitions.add(transitions.get(0).after().invoice(AT));
        transitions.add(transitions.get(1).after().dispute(true, AT));
        transitions.add(transitions.get(2).after().reverse(AT));
        transitions.forEach(t -> entries.add(LedgerEntry.of(t, "reviewer@contoso", "because", RULES)));

        assertThat(entries).extracting(LedgerEntry::entryId)
                .containsExactly("corr-7#0", "corr-7#1", "corr-7#2", "corr-7#3", "corr-7#4");
        assertThat(entries.subList(1, entries.size())).extracting(LedgerEntry::linkedEntryId).containsOnly("corr-7#0");
        assertThat(entries).extracting(LedgerEntry::type).containsExactly(LedgerEntryType.CHARGE,
                LedgerEntryType.STATE_CHANGE, LedgerEntryType.STATE_CHANGE, LedgerEntryType.STATE_CHANGE,
                LedgerEntryType.CREDIT);
        assertThat(entries).extracting(LedgerEntry::fromState).containsExactly(null, ChargeState.PENDING_REVIEW,
                ChargeState.QUALIFIED, ChargeState.BILLABLE, ChargeState.DISPUTED);
        assertThat(entries).extracting(LedgerEntry::toState).containsExactly(ChargeState.PENDING_REVIEW,
                ChargeState.QUALIFIED, ChargeState.BILLABLE, ChargeState.DISPUTED, ChargeState.REVERSED);
    }

    @Test
    void anEntryRecordsTheHourTheChargeLandsIn() {
        Charge held = aHeldCharge().build();
        BillingHour later = held.billingHour().next();

        LedgerEntry entry = LedgerEntry.of(held.approve(new HourAttribution(later, true), AT), "r", null, RULES);

        assertThat(entry.hour()).isEqualTo(later);
        assertThat(entry.reason()).isNull();
    }

    @Test
    void refusesAReasonLongerThan2000CharactersNamingNote() {
        Charge charge = aQualifiedCharge().build();

        assertThat(LedgerEntry.recorded(charge, "system", "x".repeat(2000), RULES).reason()).hasSize(2000);
        assertThatThrownBy(() -> LedgerEntry.recorded(charge, "system", "x".repeat(2001), RULES))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("note"));
    }

    @Test
    void refusesAMissingActorOrRuleVersion() {
        Charge charge = aQualifiedCharge().build();

        assertThatThrownBy(() -> LedgerEntry.recorded(charge, " ", "r", RULES))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("actor"));
        assertThatThrownBy(() -> LedgerEntry.recorded(charge, "system", "r", null))
                .isInstanceOfSatisfying(InvalidValueException.class,
                        e -> assertThat(e.field()).isEqualTo("rule_version"));
    }

    @Test
    void onlyTheFirstEntryHasNoPreviousState() {
        Charge charge = aQualifiedCharge().build();

        assertThatThrownBy(() -> new LedgerEntry("c#1", charge.correlationId(), charge.key(), LedgerEntryType.STATE_CHANGE,
                null, ChargeState.BILLABLE, charge.billingHour(), "a", null, RULES, AT, "c#0"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LedgerEntry("c#0", charge.correlationId(), charge.key(), LedgerEntryType.CHARGE,
                ChargeState.QUALIFIED, ChargeState.QUALIFIED, charge.billingHour(), "a", null, RULES, AT, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
