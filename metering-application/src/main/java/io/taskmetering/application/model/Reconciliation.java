package io.taskmetering.application.model;

import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.SubscriptionRef;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One reconciliation run of a UTC day: per subscription, dimension and hour, the quantity we recorded as accepted
 * against the quantity the Marketplace reports.
 *
 * @param hoursCompared the hours on either side
 * @param matching      the hours both sides hold with the same quantity
 * @param differences   every other hour, kept ordered by kind, subscription, dimension and hour
 */
public record Reconciliation(String runId, LocalDate day, Instant ranAt, int hoursCompared, int matching,
                             List<Difference> differences) {
    public Reconciliation {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(ranAt, "ranAt");
        differences = differences.stream().sorted(Comparator.comparing(Difference::kind)
                .thenComparing(Difference::subscription).thenComparing(Difference::dimension)
                .thenComparing(Difference::hour)).toList();
    }

    public enum Kind {
        /** Both sides hold the hour with different quantities. */
        MISMATCHED,
        /** We recorded the hour as accepted; the Marketplace does not report it. */
        MISSING_AT_MARKETPLACE,
        /** The Marketplace reports an hour we never recorded as accepted. */
        MISSING_HERE
    }

    /**
     * One hour that differs. {@code ours} is zero when the hour is missing here, {@code theirs} zero when it is missing
     * at the Marketplace; {@code theirs} is kept without trailing zeros, so equal quantities are equal records.
     */
    public record Difference(Kind kind, SubscriptionRef subscription, Dimension dimension, BillingHour hour, long ours,
                             BigDecimal theirs) {
        public Difference {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(subscription, "subscription");
            Objects.requireNonNull(dimension, "dimension");
            Objects.requireNonNull(hour, "hour");
            theirs = Objects.requireNonNull(theirs, "theirs").stripTrailingZeros();
        }
    }

    public List<Difference> of(Kind kind) {
        return differences.stream().filter(d -> d.kind() == kind).toList();
    }

    /** True when every hour matched. */
    public boolean consistent() {
        return differences.isEmpty();
    }
}
