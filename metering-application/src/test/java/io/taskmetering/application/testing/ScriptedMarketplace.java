package io.taskmetering.application.testing;

import io.taskmetering.application.model.SubmissionAttempt;
import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.application.port.out.MarketplaceSubmissionPort;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.UsageEvent;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A Marketplace that answers as scripted per hour key: each call for a key takes the next scripted status (the last
 * one repeats), else the default ({@code ACCEPTED}). It records every batch it was sent and whether a transaction was
 * open at the time, so a test can prove that no HTTP call happens inside a database transaction.
 */
public final class ScriptedMarketplace implements MarketplaceSubmissionPort {
    private final Clock clock;
    private final BooleanSupplier transactionOpen;
    private final Map<BucketKey, Deque<SubmissionStatus>> scripts = new HashMap<>();
    private final Set<BucketKey> silent = new HashSet<>();
    private final List<List<UsageEvent>> batches = new ArrayList<>();
    private SubmissionStatus defaultStatus = SubmissionStatus.ACCEPTED;
    private Long marketplaceQuantity;
    private RuntimeException failure;
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
