package io.taskmetering.application.port.in;

import io.taskmetering.application.model.Page;
import io.taskmetering.domain.charge.LedgerEntry;

public interface ListCreditsUseCase {
    Page<LedgerEntry> listCredits(CreditsQuery query);
}
