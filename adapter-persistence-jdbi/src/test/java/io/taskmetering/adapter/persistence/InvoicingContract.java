package io.taskmetering.adapter.persistence;

import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.HourAttribution;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeTransition;
import io.taskmetering.domain.charge.Invoicing;
import io.taskmetering.domain.charge.LedgerEntry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.taskmetering.adapter.persistence.Fixtures.AGENT;
import static io.taskmetering.adapter.persistence.Fixtures.HOUR;
import static io.taskmetering.adapter.persistence.Fixtures.SUB;
import static io.taskmetering.adapter.persistence.Fixtures.SUB2;
import static io.taskmetering.adapter.persistence.Fixtures.T0;
import static io.taskmetering.adapter.persistence.Fixtures.bucket;
import static io.taskmetering.adapter.persistence.Fixtures.cid;
import static io.taskmetering.adapter.persistence.Fixtures.held;
import static io.taskmetering.adapter.persistence.Fixtures.key;
import static io.taskmetering.adapter.persistence.Fixtures.qualified;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The set-based invoicing SQL writes exactly what the domain's one-charge-at-a-time invoicing produces: for every
 * charge, the stored row equals {@link Charge#invoice} of it (or the charge unchanged when invoicing leaves it alone),
 * and its ledger gains exactly {@link Invoicing#entry} of that transition.
 */
abstract class InvoicingContract extends StoreContract {
    private static final String RULES = "rules-v7";
    private static final Instant ACCEPTED_AT = T0.plusSeconds(7200);

    @Test
    void theRowsTheSqlWritesAreTheDomainsInvoicing() {
        Map<Charge, List<LedgerEntry>> stored = new LinkedHashMap<>();
        stored.put(qualified("c-1", "task-1"), List.of());
        stored.put(qualified("c-2", "task-2"), List.of());
        Charge late = Charge.qualified(cid("c-late"), key(SUB, "task-late"), AGENT, HOUR.previous().start(),
                new HourAttribution(HOUR, true), T0.plusSeconds(40));
        stored.put(late, List.of());
        // approved after review: version 1, so its invoice is version 2 and links to its first entry
        Charge hold = held("c-approved", "task-approved");
        ChargeTransition approval = hold.approve(new HourAttribution(HOUR, false), T0.plusSeconds(50));
        stored.put(approval.after(), List.of(LedgerEntry.recorded(hold, "system", RULES),
                LedgerEntry.of(approval, "reviewer", "fine", RULES)));
        // left alone: held, disputed, another subscription, another hour
        stored.put(held("c-held", "task-held"), List.of());
        Charge disputed = qualified("c-disputed", "task-disputed");
        ChargeTransition dispute = disputed.dispute(true, T0.plusSeconds(60));
        stored.put(dispute.after(), List.of(LedgerEntry.recorded(disputed, "system", RULES),
                LedgerEntry.of(dispute, "customer", "not mine", RULES)));
        stored.put(qualified("c-other", SUB2, "task-other", HOUR), List.of());
        stored.put(qualified("c-next", SUB, "task-next", HOUR.next()), List.of());
        ports.unitOfWork().run(() -> {
            ports.saveCharges().insertCharges(List.copyOf(stored.keySet()));
            List<LedgerEntry> history = new ArrayList<>();
            stored.forEach((charge, entries) -> history.addAll(entries.isEmpty()
                    ? List.of(LedgerEntry.recorded(charge, "system", RULES)) : entries));
            ports.ledger().append(history);
        });

        BucketKey hour = bucket(SUB, HOUR);
        long invoiced = ports.unitOfWork().inTransaction(() ->
                ports.invoiceHour().invoiceHour(hour, ACCEPTED_AT, RULES));

        long expectedInvoiced = 0;
        for (Charge before : stored.keySet()) {
            List<LedgerEntry> historyBefore = stored.get(before).isEmpty()
                    ? List.of(LedgerEntry.recorded(before, "system", RULES)) : stored.get(before);
            List<LedgerEntry> expectedHistory = new ArrayList<>(historyBefore);
            Charge expected = before;
            if (Invoicing.invoices(hour, before)) {
                ChargeTransition transition = before.invoice(ACCEPTED_AT);
                expected = transition.after();
                expectedHistory.add(Invoicing.entry(transition, RULES));
                expectedInvoiced++;
            }
            assertThat(ports.loadCharges().findCharge(before.correlationId())).contains(expected);
            assertThat(ports.ledger().history(before.correlationId())).containsExactlyElementsOf(expectedHistory);
        }
        assertThat(invoiced).isEqualTo(expectedInvoiced).isEqualTo(4);
    }
}
