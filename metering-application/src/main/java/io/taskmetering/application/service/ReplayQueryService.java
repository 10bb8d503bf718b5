package io.taskmetering.application.service;

import io.taskmetering.application.model.ContractVersion;
import io.taskmetering.application.model.DecisionFlip;
import io.taskmetering.application.model.DecisionWindowQuery;
import io.taskmetering.application.model.EvidenceCanonicalization;
import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.model.StoredDecision;
import io.taskmetering.application.port.in.ReplayQueries;
import io.taskmetering.application.port.in.ReplayQuery;
import io.taskmetering.application.port.in.ReplayResult;
import io.taskmetering.application.port.out.LoadContractsPort;
import io.taskmetering.application.port.out.LoadDecisionsPort;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.evaluation.AdherenceContract;
import io.taskmetering.domain.evaluation.ContractConfig;
import io.taskmetering.domain.evaluation.Decision;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Replays the stored evidence of a window's metered decisions under one contract version, or each under its own
 * ({@code as_recorded}), with the domain's {@link AdherenceContract}: the one rule the live path runs. Read-only: it
 * reads decisions and versions and writes nothing, so a replay cannot change a charge, a ledger entry or an hour.
 *
 * <p>A window is read in chunks and answered at once; one holding more than {@link #MAX_DECISIONS} decisions is
 * refused ({@link ReplayResult.WindowTooLarge}), so an answer never takes more than a few seconds. The counts cover
 * the whole window on every page; the flips are paged.
 */
public final class ReplayQueryService implements ReplayQueries {
    /** The most decisions one replay answers. */
    public static final int MAX_DECISIONS = 100_000;
    private static final int CHUNK = 1_000;
    private static final String CURSOR_PREFIX = "flips:";

    private final LoadDecisionsPort decisions;
    private final LoadContractsPort contracts;
    private final ContractConfig bootstrap;

    /** {@code bootstrap} is the configured version, which decides where nothing is activated (as the live path). */
    public ReplayQueryService(LoadDecisionsPort decisions, LoadContractsPort contracts, ContractConfig bootstrap) {
        this.decisions = decisions;
        this.contracts = contracts;
        this.bootstrap = bootstrap;
    }

    @Override
    public ReplayResult replay(ReplayQuery query) {
        long skip = flipsBefore(query.cursor());
        Map<String, Optional<AdherenceContract>> byVersion = new HashMap<>();
        if (!query.asRecorded()) {
            Optional<AdherenceContract> requested = load(query.contractVersion());
            if (requested.isEmpty()) {
                return new ReplayResult.UnknownVersion(query.contractVersion());
            }
            byVersion.put(query.contractVersion(), requested);
        }
        Tally tally = new Tally(query, skip);
        DecisionWindowQuery chunk = new DecisionWindowQuery(query.from(), query.to(), query.subscriptions(), null, null,
                CHUNK);
        while (true) {
            List<StoredDecision> read = decisions.findDecisionsOccurred(chunk);
            if (tally.replayed + read.size() > MAX_DECISIONS) {
                return new ReplayResult.WindowTooLarge(MAX_DECISIONS);
            }
            for (StoredDecision d : read) {
                String version = query.asRecorded() ? d.decision().contractVersion() : query.contractVersion();
                Optional<AdherenceContract> contract = byVersion.computeIfAbsent(version, this::load);
                tally.add(d, contract.map(c -> c.evaluate(d.evidence())));
            }
            if (read.size() < CHUNK) {
                break;
            }
            chunk = chunk.after(read.get(read.size() - 1));
        }
        return tally.answer(decisions);
    }

    private Optional<AdherenceContract> load(String version) {
        Optional<ContractConfig> settings = contracts.findVersion(version).map(ContractVersion::settings);
        if (settings.isEmpty() && version.equals(bootstrap.version())) {
            settings = Optional.of(bootstrap);
        }
        return settings.map(AdherenceContract::new);
    }

    private static long flipsBefore(String cursor) {
        if (cursor == null) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith(CURSOR_PREFIX)) {
                long skip = Long.parseLong(decoded.substring(CURSOR_PREFIX.length()));
                if (skip > 0) {
                    return skip;
                }
            }
        } catch (IllegalArgumentException e) {
            // not a cursor this replay issued: refused below
        }
        throw new InvalidValueException("cursor", "is not a cursor this replay returned");
    }

    private static String cursorAfter(long flips) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + flips).getBytes(StandardCharsets.UTF_8));
    }

    /** The counts of one replay and the page of flips it lists. */
    private static final class Tally {
        private final ReplayQuery query;
        private final long skip;
        private long replayed;
        private long unchanged;
        private long toBillable;
        private long toNotBillable;
        private long flipCount;
        private long mismatchCount;
        private final List<DecisionFlip> flips = new ArrayList<>();
        private final List<ReplayResult.Mismatch> mismatches = new ArrayList<>();
        /** Every flip, kept small, to weigh its hour. */
        private final List<Flipped> flipped = new ArrayList<>();

        Tally(ReplayQuery query, long skip) {
            this.query = query;
            this.skip = skip;
        }

        /** One decision and its replay; empty when its version is not stored (only possible as recorded). */
        void add(StoredDecision d, Optional<Decision> replay) {
            replayed++;
            if (replay.isEmpty()) {
                mismatch(d, "its contract version is not stored, so it cannot be replayed");
                unchanged++;
                return;
            }
            Decision recorded = d.decision();
            Decision again = replay.get();
            if (query.asRecorded()) {
                String difference = difference(d, again);
                if (difference != null) {
                    mismatch(d, difference);
                }
            }
            if (recorded.billable() == again.billable()) {
                unchanged++;
                return;
            }
            if (again.billable()) {
                toBillable++;
            } else {
                toNotBillable++;
            }
            flipped.add(new Flipped(d.correlationId(), d.subscription(), BillingHour.containing(d.occurredAt()),
                    again.billable(), again.billable() && !again.needsReview()));
            if (flipCount++ >= skip && flips.size() < query.flipLimit()) {
                flips.add(new DecisionFlip(d.correlationId(), d.taskId(), d.subscription(),
                        BillingHour.containing(d.occurredAt()), again.billable(), recorded.reasonCodes(),
                        again.reasonCodes()));
            }
        }

        private void mismatch(StoredDecision d, String difference) {
            if (mismatchCount++ < query.flipLimit()) {
                mismatches.add(new ReplayResult.Mismatch(d.correlationId(), d.decision().contractVersion(), difference));
            }
        }

        /**
         * What differs between a decision and its replay under the same version, null when nothing does. A legacy
         * digest was computed over an earlier canonical form, so only an RFC 8785 digest is compared.
         */
        private static String difference(StoredDecision d, Decision again) {
            Decision recorded = d.decision();
            List<String> differences = new ArrayList<>();
            if (!recorded.gates().equals(again.gates())) {
                differences.add("reason codes " + recorded.reasonCodes() + " replay as " + again.reasonCodes());
            }
            if (!recorded.reviewReasons().equals(again.reviewReasons())) {
                differences.add("review reasons " + recorded.reviewReasons() + " replay as " + again.reviewReasons());
            }
            if (d.evidenceCanonicalization() == EvidenceCanonicalization.RFC8785
                    && !recorded.evidenceSha256().equals(again.evidenceSha256())) {
                differences.add("evidence digest " + recorded.evidenceSha256() + " replays as " + again.evidenceSha256());
            }
            return differences.isEmpty() ? null : String.join("; ", differences);
        }

        /**
         * The answer. A flipped decision's hour is weighed by what it was recorded as: −1 only where it had been
         * counted (charged, not held, not a duplicate), +1 where it would now be charged without review.
         */
        ReplayResult answer(LoadDecisionsPort decisions) {
            Map<CorrelationId, OutcomeRecord> outcomes = decisions.findOutcomes(
                    flipped.stream().map(Flipped::correlationId).toList());
            Map<HourKey, Long> hours = new TreeMap<>();
            for (Flipped f : flipped) {
                if (f.toBillable()) {
                    hours.merge(new HourKey(f.subscription(), f.hour()), f.chargedNow() ? 1L : 0L, Long::sum);
                } else if (outcomes.get(f.correlationId()) instanceof OutcomeRecord.Charged charged) {
                    hours.merge(new HourKey(f.subscription(), charged.billingHour()), -1L, Long::sum);
                } else {
                    hours.merge(new HourKey(f.subscription(), f.hour()), 0L, Long::sum);
                }
            }
            List<ReplayResult.HourDifference> differences = hours.entrySet().stream()
                    .map(e -> new ReplayResult.HourDifference(e.getKey().subscription(), e.getKey().hour(), e.getValue()))
                    .toList();
            long listedUpTo = skip + flips.size();
            String next = listedUpTo < flipCount ? cursorAfter(listedUpTo) : null;
            return new ReplayResult.Replayed(query.contractVersion(), replayed, unchanged, toBillable, toNotBillable,
                    differences, flips, next, mismatchCount, mismatches);
        }
    }

    /** A flipped decision: its hour of occurrence, and whether its replay would be charged without review. */
    private record Flipped(CorrelationId correlationId, SubscriptionRef subscription, BillingHour hour,
                           boolean toBillable, boolean chargedNow) {
    }

    /** A subscription's hour, in order of subscription then hour. */
    private record HourKey(SubscriptionRef subscription, BillingHour hour) implements Comparable<HourKey> {
        @Override
        public int compareTo(HourKey other) {
            int bySubscription = subscription.value().compareTo(other.subscription.value());
            return bySubscription != 0 ? bySubscription : hour.compareTo(other.hour);
        }
    }
}
