package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.ChargeInsert;
import io.taskmetering.application.model.ChargeQuery;
import io.taskmetering.application.model.ChargeUpdate;
import io.taskmetering.application.port.out.ConcurrentUpdateException;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeKey;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.charge.LedgerEntryType;
import io.taskmetering.domain.common.InvalidValueException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.taskmetering.adapter.persistence.Fixtures.HOUR;
import static io.taskmetering.adapter.persistence.Fixtures.SUB;
import static io.taskmetering.adapter.persistence.Fixtures.SUB2;
import static io.taskmetering.adapter.persistence.Fixtures.T0;
import static io.taskmetering.adapter.persistence.Fixtures.bucket;
import static io.taskmetering.adapter.persistence.Fixtures.cid;
import static io.taskmetering.adapter.persistence.Fixtures.held;
import static io.taskmetering.adapter.persistence.Fixtures.qualified;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SaveChargesPort + LoadChargesPort + LedgerPort. */
abstract class ChargeStoreContract extends StoreContract {

    @Test
    void aTaskIsChargedOnceAndDuplicatesNameTheOriginal() {
        var first = ports.saveCharges().insertCharges(List.of(qualified("c-1", "task-1"), qualified("c-2", "task-2")));
        assertThat(first).containsExactly(ChargeInsert.Inserted.INSTANCE, ChargeInsert.Inserted.INSTANCE);

        // a retry of task-1 under another correlation id, and task-3 twice within one list: the first wins
        var second = ports.saveCharges().insertCharges(List.of(qualified("c-9", "task-3"), qualified("c-3", "task-1"),
                qualified("c-4", "task-3")));
        assertThat(second).containsExactly(ChargeInsert.Inserted.INSTANCE, new ChargeInsert.DuplicateOf(cid("c-1")),
                new ChargeInsert.DuplicateOf(cid("c-9")));
        assertThat(rows("charges")).isEqualTo(3);
    }

    @Test
    void theSameTaskInAnotherSubscriptionOrScopeIsAnotherCharge() {
        Charge hourScoped = new Charge(cid("c-h"), new ChargeKey(SUB, Fixtures.DIM, new io.taskmetering.domain.common.TaskId("task-1"),
                HOUR.toString()), Fixtures.AGENT, T0, HOUR, false, ChargeState.QUALIFIED, null, true, List.of(), 0, T0);
        var results = ports.saveCharges().insertCharges(List.of(qualified("c-1", "task-1"),
                qualified("c-2", SUB2, "task-1", HOUR), hourScoped));
        assertThat(results).containsOnly(ChargeInsert.Inserted.INSTANCE);
    }

    @Test
    void roundTripsACharge() {
        Charge charge = held("c-held", "task-h");
        ports.saveCharges().insertCharges(List.of(charge));
        assertThat(ports.loadCharges().findCharge(cid("c-held"))).contains(charge);
        assertThat(ports.loadCharges().findCharge(cid("nope"))).isEmpty();
    }

    @Test
    void updatesAreOptimisticOnTheVersion() {
        Charge charge = qualified("c-1", "task-1");
        ports.saveCharges().insertCharges(List.of(charge));
        Charge disputed = charge.dispute(false, T0.plusSeconds(100)).after();
        ports.saveCharges().updateCharges(List.of(new ChargeUpdate(disputed, 0)));
        assertThat(ports.loadCharges().findCharge(cid("c-1"))).contains(disputed);

        // a second writer that also read version 0 loses, and nothing of its batch is kept
        Charge other = charge.dispute(true, T0.plusSeconds(200)).after();
        assertThatThrownBy(() -> ports.unitOfWork().run(() -> ports.saveCharges().updateCharges(
                List.of(new ChargeUpdate(other, 0)))))
                .isInstanceOf(ConcurrentUpdateException.class);
        assertThat(ports.loadCharges().findCharge(cid("c-1"))).contains(disputed);
    }

    @Test
    void ledgerIsAppendOnlyAndAnExistingEntryIdIsAConcurrentUpdate() {
        Charge charge = qualified("c-1", "task-1");
        LedgerEntry recorded = LedgerEntry.recorded(charge, "system", "all gates passed", "rules-v1");
        ports.ledger().append(List.of(recorded));
        var dispute = charge.dispute(false, T0.plusSeconds(100));
        LedgerEntry disputed = LedgerEntry.of(dispute, "customer", "not mine", "rules-v1");
        ports.ledger().append(List.of(disputed));

        assertThat(ports.ledger().history(cid("c-1"))).containsExactly(recorded, disputed);
        assertThatThrownBy(() -> ports.ledger().append(List.of(disputed))).isInstanceOf(ConcurrentUpdateException.class);
        assertThat(rows("ledger_entries")).isEqualTo(2);
    }

    @Test
    void invoicingAnHourIsSetBasedAndLedgersEveryCharge() {
        List<Charge> charges = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            charges.add(qualified("c-" + i, "task-" + i));
        }
        charges.add(held("c-held", "task-held"));
        charges.add(qualified("c-other", SUB2, "task-x", HOUR));
        charges.add(qualified("c-next", SUB, "task-next", HOUR.next()));
        ports.unitOfWork().run(() -> {
            ports.saveCharges().insertCharges(charges);
            ports.ledger().append(charges.stream().map(c -> LedgerEntry.recorded(c, "system", "ok", "rules-v1")).toList());
        });

        long invoiced = ports.unitOfWork().inTransaction(() ->
                ports.invoiceHour().invoiceHour(bucket(SUB, HOUR), T0.plusSeconds(7200), "rules-v1"));
        assertThat(invoiced).isEqualTo(25);

        Charge c0 = ports.loadCharges().findCharge(cid("c-0")).orElseThrow();
        assertThat(c0.state()).isEqualTo(ChargeState.BILLABLE);
        assertThat(c0.version()).isEqualTo(1);
        assertThat(ports.ledger().history(cid("c-0"))).hasSize(2).last().satisfies(e -> {
            assertThat(e.entryId()).isEqualTo("c-0#1");
            assertThat(e.type()).isEqualTo(LedgerEntryType.STATE_CHANGE);
            assertThat(e.fromState()).isEqualTo(ChargeState.QUALIFIED);
            assertThat(e.toState()).isEqualTo(ChargeState.BILLABLE);
            assertThat(e.actor()).isEqualTo("marketplace");
            assertThat(e.linkedEntryId()).isEqualTo("c-0#0");
            assertThat(e.at()).isEqualTo(T0.plusSeconds(7200));
        });
        assertThat(ports.loadCharges().findCharge(cid("c-held")).orElseThrow().state()).isEqualTo(ChargeState.PENDING_REVIEW);
        assertThat(ports.loadCharges().findCharge(cid("c-other")).orElseThrow().state()).isEqualTo(ChargeState.QUALIFIED);
        assertThat(ports.loadCharges().findCharge(cid("c-next")).orElseThrow().state()).isEqualTo(ChargeState.QUALIFIED);
        // invoicing again finds nothing left to invoice
        assertThat(ports.invoiceHour().invoiceHour(bucket(SUB, HOUR), T0.plusSeconds(7300), "rules-v1"))
                .isZero();
        assertThat(rows("ledger_entries")).isEqualTo(28 + 25);
    }

    @Test
    void invoicingRacingAChangeOfTheSameVersionIsAConcurrentUpdate() {
        Charge charge = qualified("c-1", "task-1");
        ports.saveCharges().insertCharges(List.of(charge));
        // someone already ledgered version 1 of this charge (e.g. a dispute whose row update is still in flight)
        ports.ledger().append(List.of(LedgerEntry.of(charge.dispute(false, T0.plusSeconds(5)), "customer", "x", "v")));
        assertThatThrownBy(() -> ports.unitOfWork().inTransaction(() ->
                ports.invoiceHour().invoiceHour(bucket(SUB, HOUR), T0.plusSeconds(7200), "v")))
                .isInstanceOf(ConcurrentUpdateException.class);
        assertThat(ports.loadCharges().findCharge(cid("c-1")).orElseThrow().state()).isEqualTo(ChargeState.QUALIFIED);
    }

    @Test
    void listsChargesBySubscriptionStateAndHourWithACursor() {
        List<Charge> charges = new ArrayList<>();
        BillingHour h = HOUR;
        for (int i = 0; i < 7; i++) {
            charges.add(qualified("a-" + i, SUB, "task-a" + i, h));
            charges.add(qualified("b-" + i, SUB2, "task-b" + i, h));
            h = h.next();
        }
        charges.add(held("held-1", "task-held"));
        ports.saveCharges().insertCharges(charges);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var page = ports.loadCharges().findCharges(new ChargeQuery(Set.of(SUB), ChargeState.QUALIFIED, HOUR.start(),
                    HOUR.start().plusSeconds(6 * 3600), 2, cursor));
            page.items().forEach(c -> seen.add(c.correlationId().value()));
            cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(seen).containsExactly("a-0", "a-1", "a-2", "a-3", "a-4", "a-5");

        var all = ports.loadCharges().findCharges(new ChargeQuery(Set.of(), null, null, null, 100, null));
        assertThat(all.items()).hasSize(15);
        assertThat(all.nextCursor()).isNull();
        assertThat(ports.loadCharges().findCharges(new ChargeQuery(Set.of(), ChargeState.PENDING_REVIEW, null, null, 10,
                null)).items()).extracting(c -> c.correlationId().value()).containsExactly("held-1");
        assertThatThrownBy(() -> ports.loadCharges().findCharges(new ChargeQuery(Set.of(), null, null, null, 10, "garbage!")))
                .isInstanceOf(InvalidValueException.class);
    }

    @Test
    void pagingWithoutFiltersVisitsEveryChargeOnceInHourThenIdOrder() {
        // several hours, several charges per hour and subscription, pages that end inside an hour and on its edge
        List<Charge> charges = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        BillingHour h = HOUR;
        for (int hour = 0; hour < 3; hour++) {
            for (int i = 0; i < 5; i++) {
                String id = "h" + hour + "-" + i;
                charges.add(qualified(id, i % 2 == 0 ? SUB : SUB2, "task-" + id, h));
                expected.add(id);
            }
            h = h.next();
        }
        java.util.Collections.reverse(charges);
        ports.saveCharges().insertCharges(charges);

        for (int limit : new int[] {1, 4, 5, 7}) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            do {
                var page = ports.loadCharges().findCharges(new ChargeQuery(Set.of(), null, null, null, limit, cursor));
                assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
                page.items().forEach(c -> seen.add(c.correlationId().value()));
                cursor = page.nextCursor();
            } while (cursor != null);
            assertThat(seen).as("limit %d", limit).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void countsChargesByStateAcrossSubscriptions() {
        ports.saveCharges().insertCharges(List.of(qualified("q-1", "task-q1"), qualified("q-2", SUB2, "task-q2", HOUR),
                held("h-1", "task-h1")));

        assertThat(ports.loadCharges().countCharges(ChargeState.QUALIFIED)).isEqualTo(2);
        assertThat(ports.loadCharges().countCharges(ChargeState.PENDING_REVIEW)).isEqualTo(1);
        assertThat(ports.loadCharges().countCharges(ChargeState.DISPUTED)).isZero();
    }

    @Test
    void listsCreditsNewestFirst() {
        List<LedgerEntry> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Charge c = qualified("c-" + i, i % 2 == 0 ? SUB : SUB2, "task-" + i, HOUR);
            var disputed = c.dispute(true, T0.plusSeconds(10 + i));
            var reversed = disputed.after().reverse(T0.plusSeconds(20 + i));
            entries.add(LedgerEntry.recorded(c, "system", "ok", "v"));
            entries.add(LedgerEntry.of(disputed, "customer", "why", "v"));
            entries.add(LedgerEntry.of(reversed, "admin", "granted", "v"));
        }
        ports.ledger().append(entries);
        var first = ports.ledger().credits(Set.of(), 3, null);
        assertThat(first.items()).extracting(LedgerEntry::entryId).containsExactly("c-4#2", "c-3#2", "c-2#2");
        var second = ports.ledger().credits(Set.of(), 3, first.nextCursor());
        assertThat(second.items()).extracting(LedgerEntry::entryId).containsExactly("c-1#2", "c-0#2");
        assertThat(second.nextCursor()).isNull();
        assertThat(ports.ledger().credits(Set.of(SUB2), 10, null).items()).extracting(LedgerEntry::entryId)
                .containsExactly("c-3#2", "c-1#2");
    }
}
