package io.taskmetering.application.port.out;

import io.taskmetering.application.model.MarketplaceReportedUsage;

import java.time.LocalDate;
import java.util.List;

/** Reads back what the Marketplace recorded, to compare it with what we recorded as accepted. Called outside any transaction. */
public interface MarketplaceReconciliationPort {
    /**
     * Every row the Marketplace holds for usage on {@code day} (UTC).
     *
     * @throws MarketplaceUnavailableException when the Marketplace could not be asked
     */
    List<MarketplaceReportedUsage> usageOn(LocalDate day);
}
