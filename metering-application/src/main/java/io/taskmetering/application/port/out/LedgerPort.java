package io.taskmetering.application.port.out;

import io.taskmetering.application.model.Page;

import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.SubscriptionRef;

import java.util.List;
import java.util.Set;

/**
 * The append-only ledger. There is no update or delete: a correction is a new entry. Appending an entry whose id
 * exists fails with {@link ConcurrentUpdateException} (two changes raced for the same charge version).
 */
public interface LedgerPort {
    void append(List<LedgerEntry> entries);

    /** A charge's entries, oldest first. */
    List<LedgerEntry> history(CorrelationId correlationId);

    /** CREDIT entries (reversals of already-invoiced charges), newest first; {@code subscriptions} empty = all. */
    Page<LedgerEntry> credits(Set<SubscriptionRef> subscriptions, int limit, String cursor);
}
