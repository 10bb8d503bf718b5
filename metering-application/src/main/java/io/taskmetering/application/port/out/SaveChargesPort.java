package io.taskmetering.application.port.out;

import io.taskmetering.application.model.ChargeInsert;
import io.taskmetering.application.model.ChargeUpdate;

import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.charge.Charge;

import java.time.Instant;
import java.util.List;

/** Stores charges. Idempotency is the unique charge key: {@code INSERT … ON CONFLICT DO NOTHING}, never a read first. */
public interface SaveChargesPort {
    /** Inserts each charge unless its key exists (also within this list: the first wins); results in input order. */
    List<ChargeInsert> insertCharges(List<Charge> charges);

    /**
     * Writes the new state of charges (the ledger entry is appended separately, in the same transaction).
     *
     * @throws ConcurrentUpdateException when a row is no longer at its expected version
     */
    void updateCharges(List<ChargeUpdate> updates);

    /**
     * Invoices an accepted hour in one set-based step: every counted QUALIFIED charge of {@code key} becomes BILLABLE
     * with version + 1, and one STATE_CHANGE ledger entry per charge is appended (id {@code correlationId#version},
     * actor {@code actor}, linked to the charge's first entry). Returns how many charges were invoiced.
     */
    long invoiceHour(BucketKey key, Instant at, String actor, String ruleVersion);
}
