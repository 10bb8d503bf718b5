package io.taskmetering.application.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of what the Marketplace recorded ({@code GET /usageEvents}): usage of a resource and dimension under a plan
 * on a date (or hour). Quantities are exact decimals, as the Marketplace reports them.
 *
 * @param usageDate start of the period the row covers, UTC
 */
public record MarketplaceReportedUsage(Instant usageDate, String resourceId, String dimension, String planId,
                                     BigDecimal submittedQuantity, BigDecimal processedQuantity, String reconStatus) {
    public MarketplaceReportedUsage {
        Objects.requireNonNull(usageDate, "usageDate");
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(dimension, "dimension");
        submittedQuantity = submittedQuantity == null ? BigDecimal.ZERO : submittedQuantity;
    }
}
