package io.taskmetering.application.service;

import io.taskmetering.application.model.Page;
import io.taskmetering.application.port.in.CreditsQuery;
import io.taskmetering.application.port.in.ListCreditsUseCase;
import io.taskmetering.application.port.out.LedgerPort;
import io.taskmetering.domain.charge.LedgerEntry;

public final class ListCreditsService implements ListCreditsUseCase {
    private final LedgerPort ledger;

    public ListCreditsService(LedgerPort ledger) {
        this.ledger = ledger;
    }

    @Override
    public Page<LedgerEntry> listCredits(CreditsQuery query) {
        return ledger.credits(query.subscriptions(), query.limit(), query.cursor());
    }
}
