package io.taskmetering.application.testing;

import io.taskmetering.application.model.AnomalyQuery;
import io.taskmetering.application.model.ChargeInsert;
import io.taskmetering.application.model.ChargeQuery;
import io.taskmetering.application.model.ChargeUpdate;
import io.taskmetering.application.model.ContractVersion;
import io.taskmetering.application.model.DecisionFlip;
import io.taskmetering.application.model.DecisionKind;
import io.taskmetering.application.model.DecisionWindowQuery;
import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.NewDecision;
import io.taskmetering.application.model.LeasedUsageEvent;
import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.ShadowDecision;
import io.taskmetering.application.model.ShadowHour;
import io.taskmetering.application.model.ShadowReportQuery;
import io.taskmetering.application.model.ShadowRun;
import io.taskmetering.application.model.StoredActivation;
import io.taskmetering.application.model.StoredDecision;
import io.taskmetering.application.model.SubmissionAttempt;
import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.UsageEventQuery;
import io.taskmetering.application.model.UsageEventRecord;
import io.taskmetering.application.model.UsagePage;
import io.taskmetering.application.model.UsageRecordQuery;
import io.taskmetering.application.port.out.AnomalyPort;
import io.taskmetering.application.port.out.CapCounterPort;
import io.taskmetering.application.port.out.ClaimUsageEventsPort;
import io.taskmetering.application.port.out.ConcurrentUpdateException;
import io.taskmetering.application.port.out.HourBucketPort;
import io.taskmetering.application.port.out.InvoiceHourPort;
import io.taskmetering.application.port.out.LedgerPort;
import io.taskmetering.application.port.out.LoadChargesPort;
import io.taskmetering.application.port.out.LoadContractsPort;
import io.taskmetering.application.port.out.LoadDecisionsPort;
import io.taskmetering.application.port.out.LoadShadowsPort;
import io.taskmetering.application.port.out.LoadInsightsPort;
import io.taskmetering.application.model.InsightCell;
import io.taskmetering.application.model.InsightQuery;
import io.taskmetering.application.model.HourQuantity;
import io.taskmetering.domain.insight.InsightCounts;
import io.taskmetering.application.port.out.LoadReconciliationsPort;
import io.taskmetering.application.port.out.SaveReconciliationsPort;
import io.taskmetering.application.model.Reconciliation;
import io.taskmetering.application.port.out.LoadUsageEventsPort;
import io.taskmetering.application.port.out.RecordSubmissionsPort;
import io.taskmetering.application.port.out.RetentionPurgePort.PurgeCounts;
import io.taskmetering.application.port.out.RetentionPurgePort;
import io.taskmetering.application.port.out.SaveActivationsPort;
import io.taskmetering.application.port.out.SaveChargesPort;
import io.taskmetering.application.port.out.SaveContractVersionsPort;
import io.taskmetering.application.port.out.SaveDecisionsPort;
import io.taskmetering.application.port.out.SaveShadowsPort;
import io.taskmetering.application.port.out.SaveUsageEventsPort;
import io.taskmetering.application.port.out.SaveTraceSpansPort;
import io.taskmetering.application.port.out.ClaimTaskCandidatesPort;
import io.taskmetering.application.port.out.LoadTraceSpansPort;
import io.taskmetering.application.model.CandidateSettlement;
import io.taskmetering.application.model.ReceivedSpan;
import io.taskmetering.application.model.TaskCandidate;
import io.taskmetering.application.port.out.UnitOfWork;
import io.taskmetering.application.port.out.UsageRecordPort.UsageStats;
import io.taskmetering.application.port.out.UsageRecordPort;
import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.CapPeriod;
import io.taskmetering.domain.billing.HourBucket;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.billing.UsageEventStatus;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeKey;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.charge.ChargeTransition;
import io.taskmetering.domain.charge.Invoicing;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.charge.LedgerEntryType;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.contract.ContractActivation;
import io.taskmetering.domain.contract.ContractScope;
import io.taskmetering.domain.usage.UsageAggregate;
import io.taskmetering.domain.usage.UsageAggregator;
import io.taskmetering.domain.usage.UsageGroupBy;
import io.taskmetering.domain.usage.UsageRecord;
import io.taskmetering.domain.usage.UsageRecordKey;
import io.taskmetering.domain.usage.UsageTotals;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.time.temporal.ChronoUnit;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Every storage port of the application in memory, with a {@link UnitOfWork} that snapshots all state when a
 * transaction starts and restores it when the work throws. Honours the contracts of the port Javadoc — unique keys
 * decided by the store (first wins within one list), optimistic {@link ChargeUpdate}s, unique ledger ids, locks that
 * must be taken before a bucket or counter is written, lease-based claims of the outbox — and refuses what a real
 * schema would refuse (a closed bucket changing, a negative counter), so a service bug shows up as a failing test.
 *
 * <p>Thread-safe by one lock (transactions are serialized). Shared with other modules through the application
 * test-jar; adapters' contract tests can use it as the reference behaviour.
 */
public final class InMemoryStore implements UnitOfWork, SaveDecisionsPort, LoadDecisionsPort, SaveChargesPort, InvoiceHourPort,
        LoadChargesPort, LedgerPort, HourBucketPort, CapCounterPort, AnomalyPort, UsageRecordPort, SaveUsageEventsPort,
        ClaimUsageEventsPort, RecordSubmissionsPort, LoadUsageEventsPort, RetentionPurgePort, SaveContractVersionsPort,
        SaveActivationsPort, LoadContractsPort, SaveShadowsPort, LoadShadowsPort, LoadInsightsPort,
        SaveReconciliationsPort, LoadReconciliationsPort, SaveTraceSpansPort, ClaimTaskCandidatesPort,
        LoadTraceSpansPort {

    /** One outbox row: the event, what the Marketplace said, and who holds its claim until when. */
    public record OutboxRow(UsageEvent event, UsageEventStatus status, String usageEventId, Instant messageTime,
                            int attempts, String lastError, String requestBody, Instant createdAt, Instant updatedAt,
                            String claimer, Instant leaseUntil) {
        UsageEventRecord toRecord() {
            return new UsageEventRecord(event, status, usageEventId, messageTime, attempts, lastError, requestBody,
                    createdAt, updatedAt);
        }
    }

    /** Everything stored. Values are immutable, so a copy of the collections is a full snapshot. */
    private static final class State {
        final Map<CorrelationId, StoredDecision> decisions = new LinkedHashMap<>();
        final Map<CorrelationId, OutcomeRecord> outcomes = new LinkedHashMap<>();
        final Map<CorrelationId, Charge> charges = new LinkedHashMap<>();
        final Map<ChargeKey, CorrelationId> chargeKeys = new HashMap<>();
        final List<LedgerEntry> ledger = new ArrayList<>();
        final Set<String> ledgerIds = new HashSet<>();
        final TreeMap<BucketKey, HourBucket> buckets = new TreeMap<>();
        final Map<BucketKey, PlanId> bucketPlans = new HashMap<>();
        final Map<CapPeriod, Long> capCounters = new HashMap<>();
        final List<Anomaly> anomalies = new ArrayList<>();
        final Map<UsageRecordKey, UsageRecord> usageRecords = new LinkedHashMap<>();
        final TreeMap<BucketKey, OutboxRow> outbox = new TreeMap<>();
        final Map<BucketKey, List<SubmissionAttempt>> attempts = new HashMap<>();
        final TreeMap<String, ContractVersion> contractVersions = new TreeMap<>();
        final Map<ActivationPlace, StoredActivation> activations = new LinkedHashMap<>();
        final Map<ShadowPlace, ShadowRun> shadowRuns = new LinkedHashMap<>();
        final Map<ShadowKey, ShadowDecision> shadowDecisions = new LinkedHashMap<>();
        final Map<String, Reconciliation> reconciliations = new LinkedHashMap<>();
        final Map<SpanKey, ReceivedSpan> traceSpans = new LinkedHashMap<>();
        final Map<SpanKey, CandidateRow> candidates = new LinkedHashMap<>();

        State copy() {
            State c = new State();
            c.decisions.putAll(decisions);
            c.outcomes.putAll(outcomes);
            c.charges.putAll(charges);
            c.chargeKeys.putAll(chargeKeys);
            c.ledger.addAll(ledger);
            c.ledgerIds.addAll(ledgerIds);
            c.buckets.putAll(buckets);
            c.bucketPlans.putAll(bucketPlans);
            c.capCounters.putAll(capCounters);
            c.anomalies.addAll(anomalies);
            c.usageRecords.putAll(usageRecords);
            c.outbox.putAll(outbox);
            attempts.forEach((key, list) -> c.attempts.put(key, new ArrayList<>(list)));
            c.contractVersions.putAll(contractVersions);
            c.activations.putAll(activations);
            c.shadowRuns.putAll(shadowRuns);
            c.shadowDecisions.putAll(shadowDecisions);
            c.reconciliations.putAll(reconciliations);
            c.traceSpans.putAll(traceSpans);
            c.candidates.putAll(candidates);
            return c;
        }
    }

    private State state = new State();
    private int depth;
    private final Set<BucketKey> lockedBuckets = new HashSet<>();
    private final Set<CapPeriod> lockedCounters = new HashSet<>();
    private final Map<String, RuntimeException> failures = new HashMap<>();
    private long commits;
    private long rollbacks;

    // ---------------------------------------------------------------- unit of work

    @Override
    public synchronized <T> T inTransaction(Supplier<T> work) {
        if (depth > 0) {
            return work.get(); // joins the open transaction
        }
        State snapshot = state.copy();
        depth++;
        try {
            T result = work.get();
            commits++;
            return result;
        } catch (RuntimeException | Error e) {
            state = snapshot;
            rollbacks++;
            throw e;
        } finally {
            depth--;
            lockedBuckets.clear();
            lockedCounters.clear();
        }
    }

    /** Whether a transaction is open right now (the Marketplace must never be called inside one). */
    public synchronized boolean inTransaction() {
        return depth > 0;
    }

    public synchronized long commits() {
        return commits;
    }

    public synchronized long rollbacks() {
        return rollbacks;
    }

    /**
     * Makes the next call of the named port method (e.g. {@code "append"}, {@code "saveBuckets"}) throw
     * {@code failure} before it changes anything, to test that a transaction rolls back as a whole.
     */
    public synchronized InMemoryStore failNext(String method, RuntimeException failure) {
        failures.put(method, failure);
        return this;
    }

    private void maybeFail(String method) {
        RuntimeException failure = failures.remove(method);
        if (failure != null) {
            throw failure;
        }
    }

    private void requireTransaction(String method) {
        if (depth == 0) {
            throw new IllegalStateException(method + " must run inside a UnitOfWork");
        }
    }

    // ---------------------------------------------------------------- decisions

    @Override
    public synchronized List<InsertResult> insertDecisions(List<NewDecision> decisions) {
        maybeFail("insertDecisions");
        List<InsertResult> results = new ArrayList<>(decisions.size());
        for (NewDecision d : decisions) {
            boolean inserted = state.decisions.putIfAbsent(d.decision().correlationId(), d.decision()) == null;
            if (inserted) {
                state.outcomes.put(d.decision().correlationId(), d.expectedOutcome());
            }
            results.add(inserted ? InsertResult.INSERTED : InsertResult.ALREADY_PRESENT);
        }
        return results;
    }

    @Override
    public synchronized void updateOutcomes(List<OutcomeRecord> outcomes) {
        maybeFail("updateOutcomes");
        for (OutcomeRecord outcome : outcomes) {
            if (!state.decisions.containsKey(outcome.correlationId())) {
                throw new IllegalStateException("no decision " + outcome.correlationId() + " for its outcome");
            }
            state.outcomes.put(outcome.correlationId(), outcome);
        }
    }

    @Override
    public synchronized Optional<StoredDecision> findDecision(CorrelationId correlationId) {
        return Optional.ofNullable(state.decisions.get(correlationId));
    }

    @Override
    public synchronized Map<CorrelationId, OutcomeRecord> findOutcomes(Collection<CorrelationId> correlationIds) {
        Map<CorrelationId, OutcomeRecord> found = new HashMap<>();
        correlationIds.forEach(id -> {
            OutcomeRecord outcome = state.outcomes.get(id);
            if (outcome != null) {
                found.put(id, outcome);
            }
        });
        return found;
    }

    @Override
    public synchronized Map<CorrelationId, StoredDecision> findDecisions(Collection<CorrelationId> correlationIds) {
        Map<CorrelationId, StoredDecision> found = new HashMap<>();
        correlationIds.forEach(id -> {
            StoredDecision decision = state.decisions.get(id);
            if (decision != null) {
                found.put(id, decision);
            }
        });
        return found;
    }

    @Override
    public synchronized List<StoredDecision> findDecisionsOccurred(DecisionWindowQuery query) {
        Comparator<StoredDecision> order = Comparator.comparing(StoredDecision::occurredAt)
                .thenComparing(StoredDecision::correlationId);
        return state.decisions.values().stream()
                .filter(d -> d.kind() == DecisionKind.METERED)
                .filter(d -> !d.occurredAt().isBefore(query.from()) && d.occurredAt().isBefore(query.to()))
                .filter(d -> query.subscriptions().isEmpty() || query.subscriptions().contains(d.subscription()))
                .filter(d -> query.afterOccurredAt() == null || d.occurredAt().isAfter(query.afterOccurredAt())
                        || d.occurredAt().equals(query.afterOccurredAt())
                        && d.correlationId().compareTo(query.afterCorrelationId()) > 0)
                .sorted(order)
                .limit(query.limit())
                .toList();
    }

    // ---------------------------------------------------------------- charges

    @Override
    public synchronized List<ChargeInsert> insertCharges(List<Charge> charges) {
        maybeFail("insertCharges");
        List<ChargeInsert> results = new ArrayList<>(charges.size());
        for (Charge charge : charges) {
            CorrelationId existing = state.chargeKeys.get(charge.key());
            if (existing != null) {
                results.add(new ChargeInsert.DuplicateOf(existing));
                continue;
            }
            if (state.charges.containsKey(charge.correlationId())) {
                throw new IllegalStateException("a charge with correlation id " + charge.correlationId() + " exists");
            }
            state.charges.put(charge.correlationId(), charge);
            state.chargeKeys.put(charge.key(), charge.correlationId());
            results.add(ChargeInsert.Inserted.INSTANCE);
        }
        return results;
    }

    @Override
    public synchronized void updateCharges(List<ChargeUpdate> updates) {
        maybeFail("updateCharges");
        for (ChargeUpdate update : updates) {
            Charge stored = state.charges.get(update.charge().correlationId());
            if (stored == null) {
                throw new ConcurrentUpdateException("no charge " + update.charge().correlationId());
            }
            if (stored.version() != update.expectedVersion()) {
                throw new ConcurrentUpdateException("charge " + stored.correlationId() + " is at version "
                        + stored.version() + ", not " + update.expectedVersion());
            }
            if (!stored.key().equals(update.charge().key())) {
                throw new IllegalStateException("a charge's key never changes");
            }
        }
        updates.forEach(update -> state.charges.put(update.charge().correlationId(), update.charge()));
    }

    @Override
    public synchronized long invoiceHour(BucketKey key, Instant at, String ruleVersion) {
        maybeFail("invoiceHour");
        List<ChargeTransition> transitions = new ArrayList<>();
        for (Charge charge : state.charges.values()) {
            if (Invoicing.invoices(key, charge)) {
                transitions.add(charge.invoice(at));
            }
        }
        List<LedgerEntry> entries = transitions.stream().map(t -> Invoicing.entry(t, ruleVersion)).toList();
        append(entries);
        transitions.forEach(t -> state.charges.put(t.after().correlationId(), t.after()));
        return transitions.size();
    }

    @Override
    public synchronized Optional<Charge> findCharge(CorrelationId correlationId) {
        return Optional.ofNullable(state.charges.get(correlationId));
    }

    @Override
    public synchronized long countCharges(ChargeState chargeState) {
        return state.charges.values().stream().filter(c -> c.state() == chargeState).count();
    }

    @Override
    public synchronized Page<Charge> findCharges(ChargeQuery query) {
        Comparator<Charge> order = Comparator.comparing(Charge::billingHour).thenComparing(Charge::correlationId);
        List<Charge> matching = state.charges.values().stream()
                .filter(c -> query.subscriptions().isEmpty() || query.subscriptions().contains(c.key().subscription()))
                .filter(c -> query.state() == null || c.state() == query.state())
                .filter(c -> query.from() == null || !c.billingHour().start().isBefore(query.from()))
                .filter(c -> query.to() == null || c.billingHour().start().isBefore(query.to()))
                .sorted(order)
                .toList();
        return page(matching, query.limit(), query.cursor(), c -> c.billingHour() + "|" + c.correlationId().value());
    }

    // ---------------------------------------------------------------- ledger

    @Override
    public synchronized void append(List<LedgerEntry> entries) {
        maybeFail("append");
        Set<String> ids = new HashSet<>();
        for (LedgerEntry entry : entries) {
            if (state.ledgerIds.contains(entry.entryId()) || !ids.add(entry.entryId())) {
                throw new ConcurrentUpdateException("ledger entry " + entry.entryId() + " exists");
            }
        }
        state.ledger.addAll(entries);
        state.ledgerIds.addAll(ids);
    }

    @Override
    public synchronized List<LedgerEntry> history(CorrelationId correlationId) {
        return state.ledger.stream().filter(e -> e.correlationId().equals(correlationId)).toList();
    }

    @Override
    public synchronized Page<LedgerEntry> credits(Set<SubscriptionRef> subscriptions, int limit, String cursor) {
        List<LedgerEntry> credits = new ArrayList<>();
        for (int i = state.ledger.size() - 1; i >= 0; i--) {
            LedgerEntry entry = state.ledger.get(i);
            if (entry.type() == LedgerEntryType.CREDIT
                    && (subscriptions.isEmpty() || subscriptions.contains(entry.key().subscription()))) {
                credits.add(entry);
            }
        }
        return page(credits, limit, cursor, LedgerEntry::entryId);
    }

    // ---------------------------------------------------------------- hour buckets and cap counters

    @Override
    public synchronized Map<BucketKey, LockedBucket> lockBuckets(SortedMap<BucketKey, PlanId> keys) {
        requireTransaction("lockBuckets");
        maybeFail("lockBuckets");
        Map<BucketKey, LockedBucket> locked = new LinkedHashMap<>();
        keys.forEach((key, plan) -> {
            HourBucket bucket = state.buckets.computeIfAbsent(key, HourBucket::open);
            PlanId stored = state.bucketPlans.computeIfAbsent(key, k -> plan);
            lockedBuckets.add(key);
            locked.put(key, new LockedBucket(bucket, stored));
        });
        return locked;
    }

    @Override
    public synchronized void saveBuckets(Collection<HourBucket> buckets) {
        requireTransaction("saveBuckets");
        maybeFail("saveBuckets");
        for (HourBucket bucket : buckets) {
            if (!lockedBuckets.contains(bucket.key())) {
                throw new IllegalStateException("bucket " + bucket.key() + " was not locked in this transaction");
            }
            HourBucket stored = state.buckets.get(bucket.key());
            if (stored.closed() && !stored.equals(bucket)) {
                throw new IllegalStateException("closed bucket " + bucket.key() + " cannot change to " + bucket);
            }
        }
        buckets.forEach(bucket -> state.buckets.put(bucket.key(), bucket));
    }

    @Override
    public synchronized List<BucketKey> findOpenBucketsUpTo(BillingHour newestClosedHour, int limit) {
        return state.buckets.values().stream()
                .filter(b -> !b.closed() && b.key().hour().compareTo(newestClosedHour) <= 0)
                .map(HourBucket::key)
                .sorted(Comparator.comparing(BucketKey::hour).thenComparing(Comparator.naturalOrder()))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized Optional<BillingHour> findLastClosedHour(SubscriptionRef subscription) {
        return state.buckets.values().stream()
                .filter(b -> b.closed() && (subscription == null || b.key().subscription().equals(subscription)))
                .map(b -> b.key().hour())
                .max(Comparator.naturalOrder());
    }

    @Override
    public synchronized Map<CapPeriod, Long> lockCapCounters(SortedSet<CapPeriod> periods) {
        requireTransaction("lockCapCounters");
        maybeFail("lockCapCounters");
        Map<CapPeriod, Long> counts = new HashMap<>();
        for (CapPeriod period : periods) {
            lockedCounters.add(period);
            counts.put(period, state.capCounters.getOrDefault(period, 0L));
        }
        return counts;
    }

    @Override
    public synchronized void saveCapCounters(Map<CapPeriod, Long> counts) {
        requireTransaction("saveCapCounters");
        maybeFail("saveCapCounters");
        counts.forEach((period, count) -> {
            if (!lockedCounters.contains(period)) {
                throw new IllegalStateException("cap counter " + period + " was not locked in this transaction");
            }
            if (count < 0) {
                throw new IllegalStateException("cap counter " + period + " would be negative: " + count);
            }
        });
        state.capCounters.putAll(counts);
    }

    // ---------------------------------------------------------------- anomalies

    @Override
    public synchronized void saveAnomalies(List<Anomaly> anomalies) {
        maybeFail("saveAnomalies");
        Set<String> ids = new HashSet<>();
        state.anomalies.forEach(a -> ids.add(a.id()));
        for (Anomaly anomaly : anomalies) {
            if (ids.add(anomaly.id())) { // idempotent per id, as the table's primary key makes it
                state.anomalies.add(anomaly);
            }
        }
    }

    @Override
    public synchronized Page<Anomaly> findAnomalies(AnomalyQuery query) {
        List<Anomaly> newestFirst = new ArrayList<>();
        for (int i = state.anomalies.size() - 1; i >= 0; i--) {
            Anomaly a = state.anomalies.get(i);
            if ((query.subscriptions().isEmpty() || query.subscriptions().contains(a.subscription()))
                    && (query.type() == null || a.type() == query.type())
                    && (query.from() == null || !a.occurredAt().isBefore(query.from()))
                    && (query.to() == null || a.occurredAt().isBefore(query.to()))) {
                newestFirst.add(a);
            }
        }
        newestFirst.sort(Comparator.comparing(Anomaly::occurredAt).reversed()); // stable: ties stay newest first
        return page(newestFirst, query.limit(), query.cursor(), Anomaly::id);
    }

    // ---------------------------------------------------------------- usage records

    @Override
    public synchronized List<InsertResult> insertUsageRecords(List<UsageRecord> records) {
        maybeFail("insertUsageRecords");
        List<InsertResult> results = new ArrayList<>(records.size());
        for (UsageRecord record : records) {
            results.add(state.usageRecords.putIfAbsent(record.key(), record) == null
                    ? InsertResult.INSERTED : InsertResult.ALREADY_PRESENT);
        }
        return results;
    }

    private List<UsageRecord> matching(UsageRecordQuery query) {
        return state.usageRecords.values().stream()
                .filter(query.filter()::matches)
                .filter(r -> allowed(query.allowedConsumers(), r.consumerId()))
                .sorted(Comparator.comparing(UsageRecord::timestamp))
                .toList();
    }

    private static boolean allowed(Set<ConsumerId> allowedConsumers, ConsumerId consumer) {
        return allowedConsumers.isEmpty() || allowedConsumers.contains(consumer);
    }

    @Override
    public synchronized UsagePage findUsageRecords(UsageRecordQuery query) {
        List<UsageRecord> all = matching(query);
        return new UsagePage(all.stream().skip(query.offset()).limit(query.limit()).toList(), all.size());
    }

    @Override
    public synchronized List<UsageRecord> findUsageRecordsOfTask(TaskId taskId, Set<ConsumerId> allowedConsumers) {
        return state.usageRecords.values().stream()
                .filter(r -> r.taskId().equals(taskId) && allowed(allowedConsumers, r.consumerId()))
                .sorted(Comparator.comparing(UsageRecord::timestamp))
                .toList();
    }

    @Override
    public synchronized List<UsageAggregate> aggregateUsage(UsageRecordQuery query, UsageGroupBy groupBy) {
        return UsageAggregator.aggregate(matching(query), groupBy);
    }

    @Override
    public synchronized UsageTotals usageTotals(UsageRecordQuery query) {
        return UsageAggregator.totals(matching(query));
    }

    @Override
    public void streamUsageRecords(UsageRecordQuery query, Consumer<UsageRecord> sink) {
        List<UsageRecord> records;
        synchronized (this) {
            records = matching(query);
        }
        records.forEach(sink);
    }

    @Override
    public synchronized UsageStats usageStats() {
        Instant oldest = state.usageRecords.values().stream().map(UsageRecord::timestamp).min(Comparator.naturalOrder())
                .orElse(null);
        return new UsageStats(state.usageRecords.size(), oldest);
    }

    // ---------------------------------------------------------------- usage-event outbox

    @Override
    public synchronized List<InsertResult> insertUsageEvents(List<UsageEvent> events, Instant at) {
        maybeFail("insertUsageEvents");
        List<InsertResult> results = new ArrayList<>(events.size());
        for (UsageEvent event : events) {
            OutboxRow row = new OutboxRow(event, UsageEventStatus.PENDING, null, null, 0, null, null, at, at, null, null);
            results.add(state.outbox.putIfAbsent(event.key(), row) == null
                    ? InsertResult.INSERTED : InsertResult.ALREADY_PRESENT);
        }
        return results;
    }

    @Override
    public synchronized List<UsageEvent> claimDueUsageEvents(int limit, Instant now, Duration lease, String claimer) {
        maybeFail("claimDueUsageEvents");
        List<OutboxRow> due = state.outbox.values().stream()
                .filter(row -> row.status() == UsageEventStatus.PENDING)
                .filter(row -> row.claimer() == null || !row.leaseUntil().isAfter(now))
                .sorted(Comparator.comparing((OutboxRow row) -> row.event().key().hour())
                        .thenComparing(row -> row.event().key()))
                .limit(limit)
                .toList();
        List<UsageEvent> claimed = new ArrayList<>(due.size());
        for (OutboxRow row : due) {
            state.outbox.put(row.event().key(), new OutboxRow(row.event(), row.status(), row.usageEventId(),
                    row.messageTime(), row.attempts(), row.lastError(), row.requestBody(), row.createdAt(),
                    row.updatedAt(), claimer, now.plus(lease)));
            claimed.add(row.event());
        }
        return claimed;
    }

    @Override
    public synchronized List<LeasedUsageEvent> leasedElsewhere(int limit, Instant now, String claimer) {
        maybeFail("leasedElsewhere");
        return state.outbox.values().stream()
                .filter(row -> row.status() == UsageEventStatus.PENDING)
                .filter(row -> row.claimer() != null && !row.claimer().equals(claimer) && row.leaseUntil().isAfter(now))
                .sorted(Comparator.comparing((OutboxRow row) -> row.event().key().hour())
                        .thenComparing(row -> row.event().key()))
                .limit(limit)
                .map(row -> new LeasedUsageEvent(row.event().key(), row.claimer(), row.leaseUntil()))
                .toList();
    }

    @Override
    public synchronized void recordSubmission(SubmissionResult result, String claimer, Instant at) {
        maybeFail("recordSubmission");
        OutboxRow row = state.outbox.get(result.key());
        if (row == null) {
            throw new IllegalStateException("no usage event " + result.key() + " in the outbox");
        }
        state.attempts.computeIfAbsent(result.key(), k -> new ArrayList<>()).addAll(result.attempts());
        boolean ours = claimer.equals(row.claimer());
        // Only a pending event takes the answer's status, ids and error (a later answer never reopens a settled hour).
        boolean pending = row.status() == UsageEventStatus.PENDING;
        String error = result.errorCode() == null ? null
                : result.errorCode() + (result.errorMessage() == null ? "" : ": " + result.errorMessage());
        state.outbox.put(result.key(), new OutboxRow(row.event(), pending ? result.status().eventStatus() : row.status(),
                pending && result.usageEventId() != null ? result.usageEventId() : row.usageEventId(),
                pending && result.messageTime() != null ? result.messageTime() : row.messageTime(),
                row.attempts() + result.attempts().size(),
                pending ? error : row.lastError(),
                result.requestBody() != null ? result.requestBody() : row.requestBody(),
                row.createdAt(), at,
                ours ? null : row.claimer(), ours ? null : row.leaseUntil()));
    }

    @Override
    public synchronized Optional<UsageEventRecord> findUsageEvent(BucketKey key) {
        return Optional.ofNullable(state.outbox.get(key)).map(OutboxRow::toRecord);
    }

    @Override
    public synchronized long countUsageEvents(UsageEventStatus status) {
        return state.outbox.values().stream().filter(row -> row.status() == status).count();
    }

    @Override
    public synchronized Optional<UsageEventRecord> lockUsageEvent(BucketKey key) {
        return findUsageEvent(key); // one store-wide lock: every transaction of this store is serial already
    }

    @Override
    public synchronized Page<UsageEventRecord> findUsageEvents(UsageEventQuery query) {
        List<UsageEventRecord> matching = state.outbox.values().stream()
                .filter(r -> query.subscriptions().isEmpty() || query.subscriptions().contains(r.event().key().subscription()))
                .filter(r -> query.status() == null || r.status() == query.status())
                .filter(r -> query.from() == null || !r.event().key().hour().start().isBefore(query.from()))
                .filter(r -> query.to() == null || r.event().key().hour().start().isBefore(query.to()))
                .sorted(Comparator.comparing((OutboxRow r) -> r.event().key().hour()).thenComparing(r -> r.event().key()))
                .map(OutboxRow::toRecord)
                .toList();
        return page(matching, query.limit(), query.cursor(), r -> r.event().key().toString());
    }

    @Override
    public synchronized List<SubmissionAttempt> findAttempts(BucketKey key) {
        return List.copyOf(state.attempts.getOrDefault(key, List.of()));
    }

    // ---------------------------------------------------------------- contracts

    /** The unique key of an activation: its scope and instant. */
    private record ActivationPlace(ContractScope scope, Instant effectiveFrom) {
    }

    @Override
    public synchronized InsertResult insertVersion(ContractVersion version) {
        maybeFail("insertVersion");
        return state.contractVersions.putIfAbsent(version.version(), version) == null
                ? InsertResult.INSERTED : InsertResult.ALREADY_PRESENT;
    }

    @Override
    public synchronized InsertResult insertActivation(StoredActivation activation) {
        maybeFail("insertActivation");
        ContractActivation a = activation.activation();
        if (!state.contractVersions.containsKey(a.version())) {
            throw new IllegalStateException("activation of unknown contract version " + a.version());
        }
        return state.activations.putIfAbsent(new ActivationPlace(a.scope(), a.effectiveFrom()), activation) == null
                ? InsertResult.INSERTED : InsertResult.ALREADY_PRESENT;
    }

    @Override
    public synchronized Optional<ContractVersion> findVersion(String version) {
        return Optional.ofNullable(state.contractVersions.get(version));
    }

    @Override
    public synchronized List<ContractVersion> findVersions() {
        return List.copyOf(state.contractVersions.values());
    }

    @Override
    public synchronized List<StoredActivation> findActivations() {
        maybeFail("findActivations");
        return List.copyOf(state.activations.values());
    }

    @Override
    public synchronized Optional<StoredActivation> findActivation(ContractScope scope, Instant effectiveFrom) {
        return Optional.ofNullable(state.activations.get(new ActivationPlace(scope, effectiveFrom)));
    }

    // ---------------------------------------------------------------- shadows

    /** The unique key of a shadow run: its version and scope. */
    private record ShadowPlace(String version, ContractScope scope) {
    }

    /** The unique key of a shadow decision: its version and correlation id. */
    private record ShadowKey(String version, CorrelationId correlationId) {
    }

    @Override
    public synchronized InsertResult startShadow(ShadowRun run) {
        maybeFail("startShadow");
        if (!state.contractVersions.containsKey(run.version())) {
            throw new IllegalStateException("shadow run of unknown contract version " + run.version());
        }
        return state.shadowRuns.putIfAbsent(new ShadowPlace(run.version(), run.scope()), run) == null
                ? InsertResult.INSERTED : InsertResult.ALREADY_PRESENT;
    }

    @Override
    public synchronized boolean stopShadow(String version, ContractScope scope) {
        maybeFail("stopShadow");
        return state.shadowRuns.remove(new ShadowPlace(version, scope)) != null;
    }

    @Override
    public synchronized void insertShadowDecisions(List<ShadowDecision> decisions) {
        maybeFail("insertShadowDecisions");
        requireTransaction("insertShadowDecisions");
        decisions.forEach(d -> state.shadowDecisions.putIfAbsent(new ShadowKey(d.version(), d.correlationId()), d));
    }

    @Override
    public synchronized List<ShadowRun> findShadowRuns() {
        maybeFail("findShadowRuns");
        return state.shadowRuns.values().stream()
                .sorted(Comparator.comparing(ShadowRun::version)
                        .thenComparing(r -> r.scope().subscriptionOrNull() == null ? "" : r.scope().subscriptionOrNull().value()))
                .toList();
    }

    @Override
    public synchronized Page<ShadowHour> findShadowHours(ShadowReportQuery query) {
        TreeMap<Map.Entry<String, Instant>, List<ShadowDecision>> byHour = new TreeMap<>(
                Map.Entry.<String, Instant>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
        for (ShadowDecision d : state.shadowDecisions.values()) {
            Instant hour = d.hour().start();
            if (d.version().equals(query.version())
                    && (query.subscriptions().isEmpty() || query.subscriptions().contains(d.subscription()))
                    && (query.from() == null || !hour.isBefore(BillingHour.containing(query.from()).start()))
                    && (query.to() == null || hour.isBefore(query.to()))) {
                byHour.computeIfAbsent(Map.entry(d.subscription().value(), hour), k -> new ArrayList<>()).add(d);
            }
        }
        List<ShadowHour> rows = new ArrayList<>();
        byHour.values().forEach(list -> {
            List<DecisionFlip> flips = list.stream().filter(ShadowDecision::flipped)
                    .sorted(Comparator.comparing(ShadowDecision::correlationId))
                    .map(d -> new DecisionFlip(d.correlationId(), d.taskId(), d.subscription(), d.hour(),
                            d.shadow().billable(), d.liveReasonCodes(), d.shadow().reasonCodes()))
                    .toList();
            ShadowDecision first = list.get(0);
            rows.add(new ShadowHour(first.subscription(), first.hour(), list.size(),
                    list.stream().filter(ShadowDecision::liveBillable).count(),
                    list.stream().filter(d -> d.shadow().billable()).count(), flips.size(),
                    flips.subList(0, Math.min(flips.size(), ShadowReportQuery.MAX_FLIPS_PER_HOUR))));
        });
        return page(rows, query.limit(), query.cursor(), r -> r.subscription().value() + "|" + r.hour().start());
    }

    // ---------------------------------------------------------------- retention

    @Override
    public synchronized PurgeCounts purgeBefore(Instant cutoff, int limit) {
        maybeFail("purgeBefore");
        long records = removeAtMost(state.usageRecords.values(), r -> r.timestamp().isBefore(cutoff), limit);
        List<CorrelationId> neverCharged = state.decisions.values().stream()
                .filter(d -> d.receivedAt().isBefore(cutoff) && !state.charges.containsKey(d.correlationId()))
                .map(StoredDecision::correlationId)
                .limit(limit)
                .toList();
        neverCharged.forEach(id -> {
            state.decisions.remove(id);
            state.outcomes.remove(id);
        });
        long attempts = 0;
        for (Map.Entry<BucketKey, List<SubmissionAttempt>> entry : state.attempts.entrySet()) {
            OutboxRow row = state.outbox.get(entry.getKey());
            if (row != null && row.status().terminal() && attempts < limit) {
                attempts += removeAtMost(entry.getValue(), a -> a.at() != null && a.at().isBefore(cutoff),
                        (int) (limit - attempts));
            }
        }
        Set<String> pendingTraces = new HashSet<>();
        state.candidates.forEach((key, row) -> {
            if (row.state() == CandidateState.PENDING) {
                pendingTraces.add(key.traceId());
            }
        });
        Set<String> taskTraces = new HashSet<>();
        state.candidates.keySet().forEach(key -> taskTraces.add(key.traceId()));
        long spans = removeAtMost(state.traceSpans.values(), s -> s.receivedAt().isBefore(cutoff)
                && taskTraces.contains(s.span().traceId()) && !pendingTraces.contains(s.span().traceId()), limit);
        Set<String> tracesWithOldSpans = new HashSet<>();
        state.traceSpans.values().forEach(s -> {
            if (s.receivedAt().isBefore(cutoff)) {
                tracesWithOldSpans.add(s.span().traceId());
            }
        });
        removeAtMost(state.candidates.values(), row -> row.state() != CandidateState.PENDING
                && row.decidedAt().isBefore(cutoff) && !tracesWithOldSpans.contains(row.candidate().traceId()), limit);
        return new PurgeCounts(records, neverCharged.size(), attempts, spans);
    }

    @Override
    public synchronized long purgeUnusedTraceSpans(Instant receivedBefore, int limit) {
        maybeFail("purgeUnusedTraceSpans");
        Set<String> taskTraces = new HashSet<>();
        state.candidates.keySet().forEach(key -> taskTraces.add(key.traceId()));
        return removeAtMost(state.traceSpans.values(), s -> s.receivedAt().isBefore(receivedBefore)
                && !taskTraces.contains(s.span().traceId()), limit);
    }

    private static <T> long removeAtMost(Collection<T> values, Predicate<T> predicate, int limit) {
        long removed = 0;
        for (var it = values.iterator(); it.hasNext() && removed < limit; ) {
            if (predicate.test(it.next())) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    // ---------------------------------------------------------------- paging

    /**
     * Keyset paging: items after the one whose key is {@code cursor}; the next cursor is the last item's key, opaque
     * (base64url) as the real store's are, and one that was not issued is refused on field {@code cursor}.
     */
    private static <T> Page<T> page(List<T> ordered, int limit, String cursor, java.util.function.Function<T, String> key) {
        int start = 0;
        if (cursor != null) {
            String after = decodeCursor(cursor);
            start = ordered.size();
            for (int i = 0; i < ordered.size(); i++) {
                if (key.apply(ordered.get(i)).equals(after)) {
                    start = i + 1;
                    break;
                }
            }
        }
        int end = Math.min(ordered.size(), start + limit);
        List<T> items = ordered.subList(start, end);
        String next = end < ordered.size() ? encodeCursor(key.apply(ordered.get(end - 1))) : null;
        return new Page<>(items, next);
    }

    private static String encodeCursor(String key) {
        return java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String decodeCursor(String cursor) {
        try {
            String decoded = new String(java.util.Base64.getUrlDecoder().decode(cursor), java.nio.charset.StandardCharsets.UTF_8);
            if (decoded.startsWith(CURSOR_PREFIX)) {
                return decoded.substring(CURSOR_PREFIX.length());
            }
        } catch (IllegalArgumentException e) {
            // not base64url: refused below
        }
        throw new io.taskmetering.domain.common.InvalidValueException("cursor", "is not a cursor this listing returned");
    }

    private static final String CURSOR_PREFIX = "after:";

    // ---------------------------------------------------------------- inspection for tests

    public synchronized List<ShadowDecision> shadowDecisions() {
        return List.copyOf(state.shadowDecisions.values());
    }

    public synchronized List<StoredDecision> decisions() {
        return List.copyOf(state.decisions.values());
    }

    public synchronized Map<CorrelationId, OutcomeRecord> outcomes() {
        return Map.copyOf(state.outcomes);
    }

    public synchronized List<Charge> charges() {
        return List.copyOf(state.charges.values());
    }

    public synchronized Charge charge(String correlationId) {
        Charge charge = state.charges.get(CorrelationId.of(correlationId));
        if (charge == null) {
            throw new AssertionError("no charge " + correlationId);
        }
        return charge;
    }

    public synchronized List<LedgerEntry> ledger() {
        return List.copyOf(state.ledger);
    }

    public synchronized Map<BucketKey, HourBucket> buckets() {
        return Map.copyOf(state.buckets);
    }

    /** The bucket of {@code key}, or an open empty one when it was never created. */
    public synchronized HourBucket bucket(BucketKey key) {
        return state.buckets.getOrDefault(key, HourBucket.open(key));
    }

    public synchronized Optional<PlanId> bucketPlan(BucketKey key) {
        return Optional.ofNullable(state.bucketPlans.get(key));
    }

    public synchronized long capCounter(CapPeriod period) {
        return state.capCounters.getOrDefault(period, 0L);
    }

    public synchronized Map<CapPeriod, Long> capCounters() {
        return Map.copyOf(state.capCounters);
    }

    @Override
    public synchronized List<InsightCell> findInsightCells(InsightQuery query) {
        Map<List<Object>, InsightCell> cells = new HashMap<>();
        Consumer<InsightCell> add = cell -> cells.merge(Arrays.asList(cell.subscription(), cell.hour(), cell.agent(),
                cell.agentVersion()), cell, (a, b) -> new InsightCell(a.subscription(), a.hour(), a.agent(),
                a.agentVersion(), a.counts().plus(b.counts())));
        for (StoredDecision d : state.decisions.values()) {
            if (d.kind() != DecisionKind.METERED || !insightScope(query, d.subscription(), d.agentId())
                    || d.occurredAt().isBefore(query.from()) || !d.occurredAt().isBefore(query.to())) {
                continue;
            }
            Map<String, Long> gate = d.decision().failingGate().map(g -> Map.of(g.code(), 1L)).orElse(Map.of());
            boolean duplicate = state.outcomes.get(d.correlationId()) instanceof OutcomeRecord.Duplicate;
            add.accept(new InsightCell(d.subscription(), d.occurredAt().truncatedTo(ChronoUnit.HOURS), d.agentId(),
                    d.metadata().get(StoredDecision.AGENT_VERSION), new InsightCounts(1, duplicate ? 1 : 0, gate,
                    d.evidence().complete() ? 1 : 0, 0, 0, 0, 0, 0)));
        }
        for (Charge c : state.charges.values()) {
            Instant hour = c.billingHour().start();
            if (!insightScope(query, c.key().subscription(), c.agentId()) || hour.isBefore(query.from())
                    || !hour.isBefore(query.to())) {
                continue;
            }
            StoredDecision d = state.decisions.get(c.correlationId());
            add.accept(new InsightCell(c.key().subscription(), hour, c.agentId(),
                    d == null ? null : d.metadata().get(StoredDecision.AGENT_VERSION), new InsightCounts(0, 0, Map.of(),
                    0, 1, c.counted() ? 1 : 0, c.state() == ChargeState.PENDING_REVIEW ? 1 : 0,
                    c.state() == ChargeState.DISPUTED ? 1 : 0, c.state() == ChargeState.REVERSED ? 1 : 0)));
        }
        return List.copyOf(cells.values());
    }

    @Override
    public synchronized List<HourQuantity> findHourQuantities(InsightQuery query) {
        Map<List<Object>, List<OutboxRow>> hours = new LinkedHashMap<>();
        for (OutboxRow row : state.outbox.values()) {
            BucketKey key = row.event().key();
            Instant hour = key.hour().start();
            if (insightScope(query, key.subscription(), null) && !hour.isBefore(query.from()) && hour.isBefore(query.to())) {
                hours.computeIfAbsent(List.of(key.subscription(), hour), k -> new ArrayList<>()).add(row);
            }
        }
        List<HourQuantity> out = new ArrayList<>();
        hours.forEach((key, rows) -> {
            long submitted = rows.stream().mapToLong(r -> r.event().quantity()).sum();
            boolean pending = rows.stream().anyMatch(r -> r.status() == UsageEventStatus.PENDING);
            long accepted = rows.stream().filter(r -> r.status().invoiced()).mapToLong(r -> r.event().quantity()).sum();
            out.add(new HourQuantity((SubscriptionRef) key.get(0), (Instant) key.get(1), submitted,
                    pending ? null : accepted));
        });
        return out;
    }

    private static boolean insightScope(InsightQuery query, SubscriptionRef subscription, AgentId agent) {
        return (query.subscriptions().isEmpty() || query.subscriptions().contains(subscription))
                && (query.agent() == null || agent == null || query.agent().equals(agent));
    }

    public synchronized List<Anomaly> anomalies() {
        return List.copyOf(state.anomalies);
    }

    public synchronized List<UsageRecord> usageRecords() {
        return List.copyOf(state.usageRecords.values());
    }

    public synchronized Map<BucketKey, OutboxRow> outbox() {
        return Map.copyOf(state.outbox);
    }

    public synchronized OutboxRow outboxRow(BucketKey key) {
        OutboxRow row = state.outbox.get(key);
        if (row == null) {
            throw new AssertionError("no usage event " + key + " in the outbox");
        }
        return row;
    }

    // ---------------------------------------------------------------- reconciliations

    @Override
    public synchronized void insertReconciliation(Reconciliation reconciliation) {
        maybeFail("insertReconciliation");
        requireTransaction("insertReconciliation");
        if (state.reconciliations.putIfAbsent(reconciliation.runId(), reconciliation) != null) {
            throw new IllegalStateException("reconciliation run " + reconciliation.runId() + " is stored already");
        }
    }

    @Override
    public synchronized Optional<Reconciliation> findLatestReconciliation(LocalDate day) {
        maybeFail("findLatestReconciliation");
        return state.reconciliations.values().stream().filter(r -> r.day().equals(day))
                .max(Comparator.comparing(Reconciliation::ranAt).thenComparing(Reconciliation::runId));
    }

    /** Writes a decision as another process would, bypassing the services (for purge and query tests). */
    public synchronized void seedDecision(StoredDecision decision, OutcomeRecord outcome) {
        state.decisions.put(decision.correlationId(), decision);
        if (outcome != null) {
            state.outcomes.put(outcome.correlationId(), outcome);
        }
    }

    // ---------------------------------------------------------------- trace spans

    private record SpanKey(String traceId, String spanId) {
    }

    /** The state of a task candidate, as the real schema keeps it. */
    public enum CandidateState {
        PENDING, TASK, NESTED, REFUSED
    }

    /** One task candidate row: its settlement so far and who holds its claim until when. */
    private record CandidateRow(TaskCandidate candidate, CandidateState state, Instant dueAt, String claimer,
                                Instant leaseUntil, Instant decidedAt, CorrelationId correlationId, String reason) {
    }

    @Override
    public synchronized List<InsertResult> insertTraceSpans(List<ReceivedSpan> spans) {
        maybeFail("insertTraceSpans");
        requireTransaction("insertTraceSpans");
        List<InsertResult> results = new ArrayList<>(spans.size());
        for (ReceivedSpan span : spans) {
            results.add(state.traceSpans.putIfAbsent(new SpanKey(span.span().traceId(), span.span().spanId()), span)
                    == null ? InsertResult.INSERTED : InsertResult.ALREADY_PRESENT);
        }
        return results;
    }

    @Override
    public synchronized List<InsertResult> insertTaskCandidates(List<TaskCandidate> candidates, Instant dueAt) {
        maybeFail("insertTaskCandidates");
        requireTransaction("insertTaskCandidates");
        List<InsertResult> results = new ArrayList<>(candidates.size());
        for (TaskCandidate c : candidates) {
            CandidateRow row = new CandidateRow(c, CandidateState.PENDING, dueAt, null, null, null, null, null);
            results.add(state.candidates.putIfAbsent(new SpanKey(c.traceId(), c.spanId()), row) == null
                    ? InsertResult.INSERTED : InsertResult.ALREADY_PRESENT);
        }
        return results;
    }

    @Override
    public synchronized List<TaskCandidate> claimDueTaskCandidates(int limit, Instant now, Duration lease,
                                                                   String claimer) {
        maybeFail("claimDueTaskCandidates");
        requireTransaction("claimDueTaskCandidates");
        List<Map.Entry<SpanKey, CandidateRow>> due = state.candidates.entrySet().stream()
                .filter(e -> e.getValue().state() == CandidateState.PENDING && !e.getValue().dueAt().isAfter(now))
                .filter(e -> e.getValue().leaseUntil() == null || !e.getValue().leaseUntil().isAfter(now))
                .sorted(Comparator.comparing((Map.Entry<SpanKey, CandidateRow> e) -> e.getValue().dueAt())
                        .thenComparing(e -> e.getKey().traceId()).thenComparing(e -> e.getKey().spanId()))
                .limit(Math.max(0, limit))
                .toList();
        List<TaskCandidate> claimed = new ArrayList<>(due.size());
        for (Map.Entry<SpanKey, CandidateRow> e : due) {
            CandidateRow r = e.getValue();
            state.candidates.put(e.getKey(), new CandidateRow(r.candidate(), r.state(), r.dueAt(), claimer,
                    now.plus(lease), null, null, null));
            claimed.add(r.candidate());
        }
        return claimed;
    }

    @Override
    public synchronized void settleTaskCandidates(List<CandidateSettlement> settlements, Instant at) {
        maybeFail("settleTaskCandidates");
        requireTransaction("settleTaskCandidates");
        for (CandidateSettlement s : settlements) {
            SpanKey key = new SpanKey(s.traceId(), s.spanId());
            CandidateRow r = state.candidates.get(key);
            if (r == null || r.state() != CandidateState.PENDING) {
                continue;
            }
            CandidateRow next;
            if (s instanceof CandidateSettlement.Decided d) {
                boolean taken = state.candidates.values().stream()
                        .anyMatch(other -> d.correlationId().equals(other.correlationId()));
                if (taken) {
                    throw new IllegalStateException("correlation id " + d.correlationId() + " decides another candidate");
                }
                next = new CandidateRow(r.candidate(), CandidateState.TASK, r.dueAt(), null, null, at,
                        d.correlationId(), null);
            } else if (s instanceof CandidateSettlement.Nested) {
                next = new CandidateRow(r.candidate(), CandidateState.NESTED, r.dueAt(), null, null, at, null, null);
            } else if (s instanceof CandidateSettlement.Refused refused) {
                next = new CandidateRow(r.candidate(), CandidateState.REFUSED, r.dueAt(), null, null, at, null,
                        refused.reason());
            } else {
                next = new CandidateRow(r.candidate(), CandidateState.PENDING, ((CandidateSettlement.Postponed) s).until(),
                        null, null, null, null, null);
            }
            state.candidates.put(key, next);
        }
    }

    @Override
    public synchronized Map<String, List<ReceivedSpan>> findTraceSpans(Set<String> traceIds) {
        maybeFail("findTraceSpans");
        return state.traceSpans.values().stream().filter(s -> traceIds.contains(s.span().traceId()))
                .collect(Collectors.groupingBy(s -> s.span().traceId()));
    }

    @Override
    public synchronized Optional<TaskCandidate> findDecidedTaskCandidate(CorrelationId correlationId) {
        maybeFail("findDecidedTaskCandidate");
        return state.candidates.values().stream()
                .filter(r -> r.state() == CandidateState.TASK && correlationId.equals(r.correlationId()))
                .map(CandidateRow::candidate)
                .findFirst();
    }

    /** The state of the candidate (trace id, span id), if there is one (for tests). */
    public synchronized Optional<CandidateState> taskCandidateState(String traceId, String spanId) {
        return Optional.ofNullable(state.candidates.get(new SpanKey(traceId, spanId))).map(CandidateRow::state);
    }

    /** How many spans are kept (for tests). */
    public synchronized int traceSpanCount() {
        return state.traceSpans.size();
    }
}
