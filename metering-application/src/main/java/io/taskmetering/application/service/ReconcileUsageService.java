package io.taskmetering.application.service;

import io.taskmetering.application.model.MarketplaceReportedUsage;
import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.UsageEventQuery;
import io.taskmetering.application.model.UsageEventRecord;
import io.taskmetering.application.port.in.ReconcileUsageCommand;
import io.taskmetering.application.port.in.ReconcileUsageUseCase;
import io.taskmetering.application.port.in.ReconcileUsageUseCase.ReconciliationMismatch;
import io.taskmetering.application.port.in.ReconcileUsageUseCase.ReconciliationResult;
import io.taskmetering.application.port.out.AnomalyPort;
import io.taskmetering.application.port.out.MarketplaceReconciliationPort;
import io.taskmetering.application.port.out.UnitOfWork;
import io.taskmetering.application.port.out.LoadUsageEventsPort;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Reconciliation: one UTC day of usage events recorded as ACCEPTED (read in short transactions) against what the
 * Marketplace reports for that day (read with no transaction open), totalled per resource, dimension and plan. Every
 * difference is stored as a {@code reconciliation_mismatch} anomaly; nothing is changed, since the Marketplace cannot be
 * corrected (first write wins). Dry-run events never reached the Marketplace and are not compared.
 */
public final class ReconcileUsageService implements ReconcileUsageUseCase {
    private static final int PAGE = 1000;

    private final UnitOfWork unitOfWork;
    private final LoadUsageEventsPort outbox;
    private final MarketplaceReconciliationPort marketplace;
    private final AnomalyPort anomalies;
    private final Clock clock;

    public ReconcileUsageService(UnitOfWork unitOfWork, LoadUsageEventsPort outbox,
                                 MarketplaceReconciliationPort marketplace, AnomalyPort anomalies, Clock clock) {
        this.unitOfWork = unitOfWork;
        this.outbox = outbox;
        this.marketplace = marketplace;
        this.anomalies = anomalies;
        this.clock = clock;
    }

    @Override
    public ReconciliationResult reconcile(ReconcileUsageCommand command) {
        LocalDate day = command.day();
        Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();

        Map<Group, Totals> totals = new TreeMap<>();
        String cursor = null;
        do {
            String pageCursor = cursor;
            Page<UsageEventRecord> page = unitOfWork.inTransaction(() -> outbox.findUsageEvents(
                    new UsageEventQuery(Set.of(), UsageEventStatus.ACCEPTED, from, to, PAGE, pageCursor)));
            for (UsageEventRecord record : page.items()) {
                UsageEvent event = record.event();
                totals.computeIfAbsent(Group.of(event.resourceId(), event.dimension(), event.planId().value()),
                        g -> new Totals(event.resourceId(), event.dimension(), event.planId().value())).recorded
                        += event.quantity();
            }
            cursor = page.nextCursor();
        } while (cursor != null);

        for (MarketplaceReportedUsage row : marketplace.usageOn(day)) {
            if (!LocalDate.ofInstant(row.usageDate(), ZoneOffset.UTC).equals(day)) {
                continue;
            }
            String plan = row.planId() == null ? "" : row.planId();
            Totals group = totals.computeIfAbsent(Group.of(row.resourceId(), row.dimension(), plan),
                    g -> new Totals(row.resourceId(), row.dimension(), plan));
            group.marketplace = group.marketplace.add(row.submittedQuantity());
        }

        List<ReconciliationMismatch> mismatches = new ArrayList<>();
        for (Totals group : totals.values()) {
            int cmp = BigDecimal.valueOf(group.recorded).compareTo(group.marketplace);
            if (cmp != 0) {
                mismatches.add(new ReconciliationMismatch(group.resourceId, group.dimension, group.planId, group.recorded,
                        group.marketplace, cmp > 0 ? ReconciliationMismatch.Kind.MISSING_AT_MARKETPLACE
                        : ReconciliationMismatch.Kind.UNEXPECTED_AT_MARKETPLACE));
            }
        }
        if (!mismatches.isEmpty()) {
            Instant at = clock.instant();
            BillingHour firstHour = new BillingHour(from);
            List<Anomaly> found = mismatches.stream().map(m -> Anomaly.forHour(anomalyId(day, m),
                    AnomalyType.RECONCILIATION_MISMATCH,
                    new BucketKey(new SubscriptionRef(m.resourceId()), new Dimension(m.dimension()), firstHour),
                    "day " + day + " plan " + m.planId() + ": recorded accepted " + m.recordedAccepted()
                            + ", marketplace submitted " + m.marketplaceSubmitted().toPlainString() + " ("
                            + m.kind().name().toLowerCase(Locale.ROOT) + ")", at)).toList();
            unitOfWork.run(() -> anomalies.saveAnomalies(found));
        }
        return new ReconciliationResult(day, totals.size(), mismatches);
    }

    /**
     * The same mismatch found again (reconciling the same day twice) is the same anomaly, stored once: its id is a
     * name-based UUID of what was found. Other totals on a later run are a new finding with a new id.
     */
    static String anomalyId(LocalDate day, ReconciliationMismatch m) {
        String facts = String.join("\n", "reconciliation", day.toString(), m.resourceId().toLowerCase(Locale.ROOT),
                m.dimension(), m.planId().toLowerCase(Locale.ROOT), Long.toString(m.recordedAccepted()),
                m.marketplaceSubmitted().stripTrailingZeros().toPlainString());
        return UUID.nameUUIDFromBytes(facts.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Resource ids are GUIDs the Marketplace may echo in another case. */
    private record Group(String resource, String dimension, String plan) implements Comparable<Group> {
        static Group of(String resource, String dimension, String plan) {
            return new Group(resource.toLowerCase(Locale.ROOT), dimension, plan.toLowerCase(Locale.ROOT));
        }

        @Override
        public int compareTo(Group other) {
            int c = resource.compareTo(other.resource);
            if (c == 0) {
                c = dimension.compareTo(other.dimension);
            }
            return c != 0 ? c : plan.compareTo(other.plan);
        }
    }

    private static final class Totals {
        final String resourceId;
        final String dimension;
        final String planId;
        long recorded;
        BigDecimal marketplace = BigDecimal.ZERO;

        Totals(String resourceId, String dimension, String planId) {
            this.resourceId = resourceId;
            this.dimension = dimension;
            this.planId = planId;
        }
    }
}
