package io.taskmetering.application.port.out;

import io.taskmetering.application.model.ChargeInsert;
import io.taskmetering.application.model.ChargeUpdate;

import io.taskmetering.domain.charge.Charge;

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

}
