package io.taskmetering.application.service;

import io.taskmetering.application.model.MarketplaceReportedUsage;
import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.Reconciliation;
import io.taskmetering.application.model.Reconciliation.Difference;
import io.taskmetering.application.model.Reconciliation.Kind;
import io.taskmetering.application.model.UsageEventQuery;
import io.taskmetering.application.model.UsageEventRecord;
import io.taskmetering.application.port.in.ReconcileCommand;
import io.taskmetering.application.port.in.ReconcileResult;
import io.taskmetering.application.port.in.ReconcileUseCase;
import io.taskmetering.application.port.out.AnomalyPort;
import io.taskmetering.application.port.out.IdGenerator;
import io.taskmetering.application.port.out.LoadUsageEventsPort;
import io.taskmetering.application.port.out.MarketplaceReconciliationPort;
import io.taskmetering.application.port.out.MarketplaceUnavailableException;
import io.taskmetering.application.port.out.SaveReconciliationsPort;
import io.taskmetering.application.port.out.UnitOfWork;
import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.billing.AnomalyType;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.billing.UsageEventStatus;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.SubscriptionRef;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Reconciliation of one UTC day, per subscription, dimension and hour: the usage events recorded as ACCEPTED (read in
 * short transactions) against the Marketplace's {@code GET /usageEvents} rows for the day (read with no transaction
 * open). The run and one {@code reconciliation_mismatch} anomaly per differing hour are stored in one transaction;
 * nothing else changes, since the Marketplace cannot be corrected (first write wins). Without a Marketplace (dry-run)
 * nothing was sent, so there is nothing to compare.
 */
public final class ReconcileService implements ReconcileUseCase {
    private static final int PAGE = 1000;

    private final UnitOfWork unitOfWork;
    private final LoadUsageEventsPort outbox;
    private final Optional<MarketplaceReconciliationPort> marketplace;
    private final SaveReconciliationsPort reconciliations;
    private final AnomalyPort anomalies;
    private final IdGenerator ids;
    private final Clock clock;

    public ReconcileService(UnitOfWork unitOfWork, LoadUsageEventsPort outbox,
                            Optional<MarketplaceReconciliationPort> marketplace, SaveReconciliationsPort reconciliations,
                            AnomalyPort anomalies, IdGenerator ids, Clock clock) {
        this.unitOfWork = unitOfWork;
        this.outbox = outbox;
        this.marketplace = marketplace;
        this.reconciliations = reconciliations;
        this.anomalies = anomalies;
        this.ids = ids;
        this.clock = clock;
    }

    @Override
    public ReconcileResult reconcile(ReconcileCommand command) {
        LocalDate day = command.day();
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate earliest = today.minusDays(MAX_DAYS_BACK);
        if (day.isAfter(today) || day.isBefore(earliest)) {
            return new ReconcileResult.DayOutOfRange(earliest, today);
        }
        if (marketplace.isEmpty()) {
            return new ReconcileResult.NothingToCompare();
        }
        Map<HourKey, Sides> hours = new TreeMap<>();
        readOurs(day, hours);
        List<MarketplaceReportedUsage> reported;
        try {
            reported = marketplace.get().usageOn(day);
        } catch (MarketplaceUnavailableException e) {
            return new ReconcileResult.MarketplaceUnavailable(e.getMessage());
        }
        for (MarketplaceReportedUsage row : reported) {
            BillingHour hour = BillingHour.containing(row.usageDate());
            if (!LocalDate.ofInstant(hour.start(), ZoneOffset.UTC).equals(day)) {
                continue;
            }
            Sides sides = hours.computeIfAbsent(HourKey.of(row.resourceId(), row.dimension(), hour),
                    k -> new Sides(SubscriptionRef.of(row.resourceId()), Dimension.of(row.dimension()), hour));
            sides.theirs = (sides.theirs == null ? BigDecimal.ZERO : sides.theirs).add(row.submittedQuantity());
        }

        List<Difference> differences = new ArrayList<>();
        int matching = 0;
        for (Sides sides : hours.values()) {
            Difference difference = sides.difference();
            if (difference == null) {
                matching++;
            } else {
                differences.add(difference);
            }
        }
        Instant ranAt = clock.instant();
        Reconciliation run = new Reconciliation(ids.newId(), day, ranAt, hours.size(), matching, differences);
        List<Anomaly> found = differences.stream().map(d -> anomaly(day, d, ranAt)).toList();
        unitOfWork.run(() -> {
            reconciliations.insertReconciliation(run);
            anomalies.saveAnomalies(found);
        });
        return new ReconcileResult.Reconciled(run);
    }

    private void readOurs(LocalDate day, Map<HourKey, Sides> hours) {
        Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        String cursor = null;
        do {
            String pageCursor = cursor;
            Page<UsageEventRecord> page = unitOfWork.inTransaction(() -> outbox.findUsageEvents(
                    new UsageEventQuery(Set.of(), UsageEventStatus.ACCEPTED, from, to, PAGE, pageCursor)));
            for (UsageEventRecord record : page.items()) {
                UsageEvent event = record.event();
                BucketKey key = event.key();
                Sides sides = hours.computeIfAbsent(HourKey.of(key.subscription().value(), key.dimension().value(),
                        key.hour()), k -> new Sides(key.subscription(), key.dimension(), key.hour()));
                sides.ours = (sides.ours == null ? 0 : sides.ours) + event.quantity();
            }
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    /**
     * The same difference found again (reconciling the same day twice) is the same anomaly, stored once: its id is a
     * name-based UUID of what was found. Other quantities on a later run are a new finding with a new id.
     */
    static String anomalyId(LocalDate day, Difference d) {
        String facts = String.join("\n", "reconciliation", day.toString(), d.kind().name(),
                d.subscription().value().toLowerCase(Locale.ROOT), d.dimension().value(), d.hour().start().toString(),
                Long.toString(d.ours()), d.theirs().stripTrailingZeros().toPlainString());
        return UUID.nameUUIDFromBytes(facts.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static Anomaly anomaly(LocalDate day, Difference d, Instant at) {
        String detail = switch (d.kind()) {
            case MISMATCHED -> "reconciliation of " + day + ": we recorded " + d.ours() + " as accepted, the Marketplace "
                    + "reports " + d.theirs().toPlainString();
            case MISSING_AT_MARKETPLACE -> "reconciliation of " + day + ": we recorded " + d.ours()
                    + " as accepted, the Marketplace reports nothing for the hour";
            case MISSING_HERE -> "reconciliation of " + day + ": the Marketplace reports " + d.theirs().toPlainString()
                    + " for an hour we never recorded as accepted";
        };
        return Anomaly.forHour(anomalyId(day, d), AnomalyType.RECONCILIATION_MISMATCH,
                new BucketKey(d.subscription(), d.dimension(), d.hour()), detail, at);
    }

    /** Resource ids are GUIDs the Marketplace may echo in another case. */
    private record HourKey(String subscription, String dimension, Instant hour) implements Comparable<HourKey> {
        static HourKey of(String subscription, String dimension, BillingHour hour) {
            return new HourKey(subscription.toLowerCase(Locale.ROOT), dimension, hour.start());
        }

        @Override
        public int compareTo(HourKey other) {
            return Comparator.comparing(HourKey::subscription).thenComparing(HourKey::dimension)
                    .thenComparing(HourKey::hour).compare(this, other);
        }
    }

    /** One hour on both sides; null where a side does not hold it. Our spelling of the subscription wins. */
    private static final class Sides {
        private final SubscriptionRef subscription;
        private final Dimension dimension;
        private final BillingHour hour;
        private Long ours;
        private BigDecimal theirs;

        Sides(SubscriptionRef subscription, Dimension dimension, BillingHour hour) {
            this.subscription = subscription;
            this.dimension = dimension;
            this.hour = hour;
        }

        Difference difference() {
            if (theirs == null) {
                return new Difference(Kind.MISSING_AT_MARKETPLACE, subscription, dimension, hour, ours, BigDecimal.ZERO);
            }
            if (ours == null) {
                return new Difference(Kind.MISSING_HERE, subscription, dimension, hour, 0, theirs);
            }
            return BigDecimal.valueOf(ours).compareTo(theirs) == 0 ? null
                    : new Difference(Kind.MISMATCHED, subscription, dimension, hour, ours, theirs);
        }
    }
}
