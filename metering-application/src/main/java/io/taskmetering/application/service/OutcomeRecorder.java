package io.taskmetering.application.service;

import io.taskmetering.application.model.ChargeInsert;
import io.taskmetering.application.model.ChargeUpdate;
import io.taskmetering.application.model.DecisionKind;
import io.taskmetering.application.model.EvidenceCanonicalization;
import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.NewDecision;
import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.model.ShadowDecision;
import io.taskmetering.application.model.StoredDecision;
import io.taskmetering.application.port.in.OutcomeResult.CorrelationIdInUse;
import io.taskmetering.application.port.in.OutcomeResult.InvalidReport;
import io.taskmetering.application.port.in.OutcomeReport;
import io.taskmetering.application.port.in.OutcomeResult;
import io.taskmetering.application.port.out.AnomalyPort;
import io.taskmetering.application.port.out.CapCounterPort;
import io.taskmetering.application.port.out.HourBucketPort;
import io.taskmetering.application.port.out.IdGenerator;
import io.taskmetering.application.port.out.LedgerPort;
import io.taskmetering.application.port.out.LoadDecisionsPort;
import io.taskmetering.application.port.out.OutcomePorts;
import io.taskmetering.application.port.out.SaveChargesPort;
import io.taskmetering.application.port.out.SaveDecisionsPort;
import io.taskmetering.application.port.out.SaveShadowsPort;
import io.taskmetering.application.port.out.UnitOfWork;
import io.taskmetering.application.port.out.UsageRecordPort;
import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.HourAttribution;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.charge.ChargingRules;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.charge.RecordingOutcome;
import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.evaluation.Decision;
import io.taskmetering.domain.usage.UsageRecord;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The one path every outcome takes: evaluate, keep the decision, charge it as the domain's {@code ChargingRules}
 * decide (duplicates by the unique charge key), apply the count changes under row locks, ledger it. A batch is one
 * transaction; a single outcome is a batch of one. Shared by the evaluate, record
 * and batch services.
 */
final class OutcomeRecorder {
    static final String SYSTEM_ACTOR = "system";

    private final UnitOfWork unitOfWork;
    private final SaveDecisionsPort saveDecisions;
    private final LoadDecisionsPort loadDecisions;
    private final SaveChargesPort saveCharges;
    private final LedgerPort ledger;
    private final HourBucketPort buckets;
    private final CapCounterPort capCounters;
    private final AnomalyPort anomalies;
    private final UsageRecordPort usageRecords;
    private final IdGenerator ids;
    private final Clock clock;
    private final BillingPolicy policy;
    private final ContractBook contracts;
    private final ShadowBook shadows;
    private final SaveShadowsPort saveShadows;
    private final ChargingRules charging;

    OutcomeRecorder(OutcomePorts ports, IdGenerator ids, Clock clock, BillingPolicy policy) {
        this.unitOfWork = ports.unitOfWork();
        this.saveDecisions = ports.saveDecisions();
        this.loadDecisions = ports.loadDecisions();
        this.saveCharges = ports.saveCharges();
        this.ledger = ports.ledger();
        this.buckets = ports.buckets();
        this.capCounters = ports.capCounters();
        this.anomalies = ports.anomalies();
        this.usageRecords = ports.usageRecords();
        this.ids = ids;
        this.clock = clock;
        this.policy = policy;
        this.contracts = new ContractBook(ports.contracts(), policy.contract());
        this.shadows = new ShadowBook(ports.loadShadows(), ports.contracts());
        this.saveShadows = ports.saveShadows();
        this.charging = policy.charging();
    }

    /**
     * One outcome that passed validation, evaluated (live and in shadow) and ready to store; {@code claim} is the charge
     * it claims when it is metered and billable, else null.
     */
    private record Prepared(int index, OutcomeReport report, StoredDecision stored, Charge claim, UsageRecord usage,
                            List<ShadowDecision> shadowDecisions) {
        CorrelationId correlationId() {
            return stored.correlationId();
        }

        /**
         * What recording most likely ends as: the claim charged as drafted (no duplicate, its hour open, no cap hit).
         * Stored with the decision; only a recording that ends otherwise costs an update.
         */
        NewDecision expected() {
            if (claim == null) {
                return NewDecision.notBillable(stored);
            }
            return new NewDecision(stored, claim.state() == ChargeState.PENDING_REVIEW
                    ? new OutcomeRecord.HeldForReview(correlationId(), claim.billingHour(), claim.late())
                    : new OutcomeRecord.Charged(correlationId(), claim.billingHour(), claim.late()));
        }
    }

    /**
     * Records outcomes in one transaction; one result per report, in order. An invalid report is refused without
     * blocking the others; a correlation id recorded before answers its stored result when it is the same task of the
     * same subscription, else {@link CorrelationIdInUse}.
     */
    List<OutcomeResult> record(List<OutcomeReport> reports, DecisionKind kind) {
        Instant now = clock.instant();
        OutcomeResult[] results = new OutcomeResult[reports.size()];
        List<Prepared> prepared = new ArrayList<>();
        Map<CorrelationId, Integer> firstIndex = new HashMap<>();
        Map<Integer, Integer> inBatchReplays = new TreeMap<>();
        ContractBook.Scheduled scheduled = contracts.current();
        // Only metered outcomes are shadowed: an evaluation bills nothing live either.
        ShadowBook.Running shadowRuns = kind == DecisionKind.METERED ? shadows.current() : ShadowBook.Running.NONE;
        for (int i = 0; i < reports.size(); i++) {
            OutcomeReport report = reports.get(i);
            try {
                Prepared p = prepare(i, report, kind, scheduled, shadowRuns, now);
                Integer first = firstIndex.putIfAbsent(p.correlationId(), i);
                if (first != null) {
                    inBatchReplays.put(i, first);
                } else {
                    prepared.add(p);
                }
            } catch (InvalidValueException e) {
                results[i] = new InvalidReport(e.field(), e.reason());
            }
        }
        if (!prepared.isEmpty()) {
            unitOfWork.inTransaction(() -> store(prepared, now)).forEach((index, result) -> results[index] = result);
        }
        // The same correlation id twice in one batch: the later ones are replays of the first.
        inBatchReplays.forEach((index, first) -> results[index] = replayOf(results[first]));
        // A correlation id belongs to one task of one subscription: a replay for another is not answered.
        for (int i = 0; i < results.length; i++) {
            if (results[i] instanceof OutcomeResult.Decided decided && decided.replayed()
                    && !(decided.taskId().equals(reports.get(i).taskId())
                    && decided.subscription().equals(reports.get(i).subscription()))) {
                results[i] = new CorrelationIdInUse(decided.correlationId());
            }
        }
        return List.of(results);
    }

    private static OutcomeResult replayOf(OutcomeResult first) {
        if (first instanceof OutcomeResult.Decided decided) {
            return new OutcomeResult.Decided(decided.correlationId(), decided.taskId(), decided.subscription(),
                    decided.decision(), decided.recording(), true);
        }
        return first;
    }

    private Prepared prepare(int index, OutcomeReport report, DecisionKind kind, ContractBook.Scheduled scheduled,
                             ShadowBook.Running shadowRuns, Instant now) {
        CorrelationId correlationId = report.correlationId() != null ? report.correlationId() : ids.newCorrelationId();
        Instant occurredAt = report.occurredAt() != null ? report.occurredAt() : now;
        HourAttribution attribution = policy.hours().attribute(occurredAt, now);
        // By occurred_at, not arrival: a late outcome is decided by the rules of the time it happened.
        Decision decision = scheduled.contractFor(report.subscription(), occurredAt).evaluate(report.evidence());
        Dimension dimension = report.dimension() != null ? report.dimension() : policy.defaultDimension();
        PlanId plan = report.planId() != null ? report.planId() : policy.defaultPlan();
        Map<String, String> metadata = new LinkedHashMap<>();
        if (report.workflowId() != null) {
            metadata.put("workflow_id", report.workflowId());
        }
        if (report.agentVersion() != null) {
            metadata.put(StoredDecision.AGENT_VERSION, report.agentVersion());
        }
        StoredDecision stored = new StoredDecision(correlationId, report.taskId(), report.agentId(), report.subscription(),
                dimension, plan, kind, occurredAt, now, report.evidence(), decision, metadata,
                EvidenceCanonicalization.RFC8785);
        UsageRecord usage = null;
        if (report.usage() != null && kind == DecisionKind.METERED) {
            var u = report.usage();
            usage = new UsageRecord(report.taskId(), report.agentId(), new ConsumerId(report.subscription().value()),
                    u.tokensIn(), u.tokensOut(), u.durationMs(), u.apiCalls(), occurredAt);
        }
        Charge claim = kind == DecisionKind.METERED && decision.billable()
                ? charging.claim(correlationId, report.subscription(), dimension, report.taskId(), report.agentId(),
                        occurredAt, attribution, decision, now)
                : null;
        // Decided before the transaction, so the shadow costs the transaction one insert and holds no lock longer.
        return new Prepared(index, report, stored, claim, usage, shadowRuns.decide(stored, now));
    }

    private Map<Integer, OutcomeResult> store(List<Prepared> prepared, Instant now) {
        Map<Integer, OutcomeResult> results = new HashMap<>();
        List<NewDecision> expected = prepared.stream().map(Prepared::expected).toList();
        List<InsertResult> inserts = saveDecisions.insertDecisions(expected);
        List<Prepared> fresh = new ArrayList<>();
        List<Prepared> replays = new ArrayList<>();
        Map<CorrelationId, OutcomeRecord> outcomes = new LinkedHashMap<>();
        for (int i = 0; i < prepared.size(); i++) {
            if (inserts.get(i) == InsertResult.INSERTED) {
                fresh.add(prepared.get(i));
                outcomes.put(prepared.get(i).correlationId(), expected.get(i).expectedOutcome());
            } else {
                replays.add(prepared.get(i));
            }
        }
        answerReplays(replays, results);

        List<Prepared> billable = fresh.stream().filter(p -> p.claim() != null).toList();
        chargeBillable(billable, now, outcomes);
        List<OutcomeRecord> unexpected = new ArrayList<>();
        for (int i = 0; i < prepared.size(); i++) {
            OutcomeRecord outcome = outcomes.get(prepared.get(i).correlationId());
            if (inserts.get(i) == InsertResult.INSERTED && !outcome.equals(expected.get(i).expectedOutcome())) {
                unexpected.add(outcome);
            }
        }
        if (!unexpected.isEmpty()) {
            saveDecisions.updateOutcomes(unexpected);
        }
        List<UsageRecord> usage = fresh.stream().map(Prepared::usage).filter(u -> u != null).toList();
        if (!usage.isEmpty()) {
            usageRecords.insertUsageRecords(usage);
        }
        // Replays are not shadowed again: a shadow decision is kept once per version and correlation id.
        List<ShadowDecision> shadowDecisions = fresh.stream().flatMap(p -> p.shadowDecisions().stream()).toList();
        if (!shadowDecisions.isEmpty()) {
            saveShadows.insertShadowDecisions(shadowDecisions);
        }
        for (Prepared p : fresh) {
            results.put(p.index(), toResult(p.stored(), outcomes.get(p.correlationId()), false));
        }
        return results;
    }

    private void chargeBillable(List<Prepared> billable, Instant now, Map<CorrelationId, OutcomeRecord> outcomes) {
        if (billable.isEmpty()) {
            return;
        }
        List<Charge> claims = billable.stream().map(Prepared::claim).toList();
        // Duplicates are decided by the unique key before any cap is checked.
        List<ChargeInsert> inserts = saveCharges.insertCharges(claims);

        HourAdmission admission = new HourAdmission(buckets, capCounters);
        TreeMap<BucketKey, PlanId> toLock = new TreeMap<>();
        for (int i = 0; i < claims.size(); i++) {
            Charge claim = claims.get(i);
            if (inserts.get(i) == ChargeInsert.Inserted.INSTANCE && claim.counted()) {
                toLock.putIfAbsent(claim.bucket(), billable.get(i).stored().planId());
            }
        }
        admission.lockUpFront(toLock);

        List<ChargeUpdate> corrections = new ArrayList<>();
        List<LedgerEntry> entries = new ArrayList<>();
        List<Anomaly> newAnomalies = new ArrayList<>();
        for (int i = 0; i < claims.size(); i++) {
            Charge claim = claims.get(i);
            StoredDecision d = billable.get(i).stored();
            Supplier<PlanId> plan = d::planId;
            RecordingOutcome recorded = charging.decide(claim, inserts.get(i).keyHolder(claim.correlationId()),
                    admission.counts(plan), ids::newId, now);
            admission.apply(recorded.countChanges(), plan);
            Charge charge;
            if (recorded instanceof RecordingOutcome.Duplicate duplicate) {
                outcomes.put(d.correlationId(), new OutcomeRecord.Duplicate(d.correlationId(),
                        duplicate.originalCorrelationId()));
                continue;
            } else if (recorded instanceof RecordingOutcome.HeldForReview held) {
                charge = held.charge();
                if (held.anomaly() != null) {
                    newAnomalies.add(held.anomaly());
                }
                outcomes.put(d.correlationId(), new OutcomeRecord.HeldForReview(d.correlationId(), charge.billingHour(),
                        charge.late()));
            } else {
                charge = ((RecordingOutcome.Recorded) recorded).charge();
                outcomes.put(d.correlationId(), new OutcomeRecord.Charged(d.correlationId(), charge.billingHour(),
                        charge.late()));
            }
            if (!charge.equals(claim)) {
                // The claim was stored as drafted; the hour or a cap changed it (still version 0).
                corrections.add(new ChargeUpdate(charge, 0));
            }
            entries.add(LedgerEntry.recorded(charge, SYSTEM_ACTOR, policy.ruleVersion()));
        }
        admission.flush();
        if (!corrections.isEmpty()) {
            saveCharges.updateCharges(corrections);
        }
        if (!entries.isEmpty()) {
            ledger.append(entries);
        }
        if (!newAnomalies.isEmpty()) {
            anomalies.saveAnomalies(newAnomalies);
        }
    }

    private void answerReplays(List<Prepared> replays, Map<Integer, OutcomeResult> results) {
        if (replays.isEmpty()) {
            return;
        }
        List<CorrelationId> ids = replays.stream().map(Prepared::correlationId).toList();
        Map<CorrelationId, StoredDecision> decisions = loadDecisions.findDecisions(ids);
        Map<CorrelationId, OutcomeRecord> outcomes = loadDecisions.findOutcomes(ids);
        for (Prepared p : replays) {
            StoredDecision original = decisions.get(p.correlationId());
            OutcomeRecord outcome = outcomes.getOrDefault(p.correlationId(),
                    new OutcomeRecord.NotBillable(p.correlationId()));
            results.put(p.index(), toResult(original, outcome, true));
        }
    }

    private static OutcomeResult toResult(StoredDecision d, OutcomeRecord outcome, boolean replayed) {
        return new OutcomeResult.Decided(d.correlationId(), d.taskId(), d.subscription(), d.decision(), outcome,
                replayed);
    }
}
