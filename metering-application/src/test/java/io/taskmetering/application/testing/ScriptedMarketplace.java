package io.taskmetering.application.testing;

import io.taskmetering.application.model.MarketplaceReportedUsage;
import io.taskmetering.application.model.SubmissionAttempt;
import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.application.port.out.MarketplaceReconciliationPort;
import io.taskmetering.application.port.out.MarketplaceSubmissionPort;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.UsageEvent;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A Marketplace that answers as scripted per hour key: each call for a key takes the next scripted status (the last
 * one repeats), else the default ({@code ACCEPTED}). It records every batch it was sent and whether a transaction was
 * open at the time, so a test can prove that no HTTP call happens inside a database transaction. Asked for a day's usage
 * (reconciliation), it reports every hour it accepted, as a Marketplace would, unless a test changed what it reports.
 */
public final class ScriptedMarketplace implements MarketplaceSubmissionPort, MarketplaceReconciliationPort {
    private final Clock clock;
    private final BooleanSupplier transactionOpen;
    private final Map<BucketKey, Deque<SubmissionStatus>> scripts = new HashMap<>();
    private final Set<BucketKey> silent = new HashSet<>();
    private final List<List<UsageEvent>> batches = new ArrayList<>();
    private final Map<BucketKey, BigDecimal> reported = new TreeMap<>();
    private SubmissionStatus defaultStatus = SubmissionStatus.ACCEPTED;
    private Long marketplaceQuantity;
    private RuntimeException failure;
    private RuntimeException readFailure;
    private int callsInsideTransaction;
    private int requests;

    /** @param transactionOpen says whether a transaction is open (e.g. {@code store::inTransaction}) */
    public ScriptedMarketplace(Clock clock, BooleanSupplier transactionOpen) {
        this.clock = clock;
        this.transactionOpen = transactionOpen;
    }

    /** The answers for {@code key}, one per call, the last one repeating. */
    public synchronized ScriptedMarketplace script(BucketKey key, SubmissionStatus... statuses) {
        scripts.put(key, new ArrayDeque<>(List.of(statuses)));
        return this;
    }

    public synchronized ScriptedMarketplace answerByDefault(SubmissionStatus status) {
        this.defaultStatus = status;
        return this;
    }

    /** The quantity reported for duplicates (DISCREPANCY or DUPLICATE_ACCEPTED). */
    public synchronized ScriptedMarketplace holdingQuantity(long quantity) {
        this.marketplaceQuantity = quantity;
        return this;
    }

    /** Returns no result at all for {@code key} (an adapter that lost track of one event). */
    public synchronized ScriptedMarketplace sayNothingAbout(BucketKey key) {
        silent.add(key);
        return this;
    }

    /** The next call throws {@code e} instead of answering. */
    public synchronized ScriptedMarketplace failNextCallWith(RuntimeException e) {
        this.failure = e;
        return this;
    }

    /** Reports {@code quantity} for the hour of {@code key} from now on, whatever it accepted. */
    public synchronized ScriptedMarketplace report(BucketKey key, BigDecimal quantity) {
        reported.put(key, quantity);
        return this;
    }

    /** Reports nothing for the hour of {@code key} from now on. */
    public synchronized ScriptedMarketplace forget(BucketKey key) {
        reported.remove(key);
        return this;
    }

    /** The next reconciliation read throws {@code e} instead of answering. */
    public synchronized ScriptedMarketplace failNextReadWith(RuntimeException e) {
        this.readFailure = e;
        return this;
    }

    @Override
    public synchronized List<MarketplaceReportedUsage> usageOn(LocalDate day) {
        if (transactionOpen.getAsBoolean()) {
            callsInsideTransaction++;
        }
        if (readFailure != null) {
            RuntimeException e = readFailure;
            readFailure = null;
            throw e;
        }
        return reported.entrySet().stream()
                .filter(e -> LocalDate.ofInstant(e.getKey().hour().start(), ZoneOffset.UTC).equals(day))
                .map(e -> new MarketplaceReportedUsage(e.getKey().hour().start(), e.getKey().subscription().value(),
                        e.getKey().dimension().value(), null, e.getValue(), e.getValue(), "Accepted"))
                .toList();
    }

    @Override
    public synchronized List<SubmissionResult> submit(List<UsageEvent> events) {
        if (transactionOpen.getAsBoolean()) {
            callsInsideTransaction++;
        }
        batches.add(List.copyOf(events));
        if (failure != null) {
            RuntimeException e = failure;
            failure = null;
            throw e;
        }
        List<SubmissionResult> results = new ArrayList<>();
        for (UsageEvent event : events) {
            if (silent.contains(event.key())) {
                continue;
            }
            results.add(answer(event, next(event.key())));
        }
        return results;
    }

    private SubmissionStatus next(BucketKey key) {
        Deque<SubmissionStatus> script = scripts.get(key);
        if (script == null || script.isEmpty()) {
            return defaultStatus;
        }
        return script.size() > 1 ? script.pollFirst() : script.peekFirst();
    }

    private SubmissionResult answer(UsageEvent event, SubmissionStatus status) {
        requests++;
        Integer http = switch (status) {
            case ACCEPTED -> 200;
            case DUPLICATE_ACCEPTED, DISCREPANCY -> 409;
            case DRY_RUN, DEADLINE_PASSED -> null;
            case EXPIRED, REJECTED -> 400;
            case UNAUTHORIZED -> 403;
            case RETRY_LATER -> 503;
        };
        String code = switch (status) {
            case ACCEPTED, DUPLICATE_ACCEPTED, DRY_RUN -> null;
            case DISCREPANCY -> "Duplicate";
            case EXPIRED -> "Expired";
            case DEADLINE_PASSED -> "deadline";
            case REJECTED -> "ResourceNotFound";
            case UNAUTHORIZED -> "Unauthorized";
            case RETRY_LATER -> "http_503";
        };
        boolean accepted = status == SubmissionStatus.ACCEPTED || status == SubmissionStatus.DUPLICATE_ACCEPTED;
        if (status == SubmissionStatus.ACCEPTED) {
            reported.putIfAbsent(event.key(), BigDecimal.valueOf(event.quantity()));
        }
        List<SubmissionAttempt> attempts = status == SubmissionStatus.DRY_RUN ? List.of()
                : List.of(new SubmissionAttempt(1, "req-" + requests, "corr-" + event.key(), clock.instant(), http,
                status.name().toLowerCase(java.util.Locale.ROOT), code));
        Long held = status == SubmissionStatus.DISCREPANCY || status == SubmissionStatus.DUPLICATE_ACCEPTED
                ? (marketplaceQuantity != null ? marketplaceQuantity : event.quantity()) : null;
        return new SubmissionResult(event.key(), status, "scripted body of " + event.key(),
                accepted ? "mp-" + event.key().hour() + "-" + event.resourceId() : null,
                accepted ? clock.instant() : null, held, code, code == null ? null : "scripted " + code, attempts);
    }

    /** Every batch sent, in order. */
    public synchronized List<List<UsageEvent>> batches() {
        return List.copyOf(batches);
    }

    /** Every event sent, over all batches. */
    public synchronized List<UsageEvent> sent() {
        return batches.stream().flatMap(List::stream).toList();
    }

    public synchronized int callsInsideTransaction() {
        return callsInsideTransaction;
    }
}
