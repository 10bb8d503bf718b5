package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.taskmetering.application.model.DecisionFlip;
import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.model.Reconciliation;
import io.taskmetering.application.model.ShadowHour;
import io.taskmetering.application.model.ShadowRun;
import io.taskmetering.application.port.in.ReplayQuery;
import io.taskmetering.application.port.in.ReplayResult;
import io.taskmetering.application.port.in.StopShadowResult;
import io.taskmetering.application.model.StoredDecision;
import io.taskmetering.application.model.SubmissionAttempt;
import io.taskmetering.application.model.StoredActivation;
import io.taskmetering.application.port.in.ContractQueries;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.contract.ContractActivation;
import io.taskmetering.domain.contract.ContractPeriod;
import io.taskmetering.domain.contract.ContractScope;
import io.taskmetering.domain.evaluation.ContractConfig;
import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.UsageEventRecord;
import io.taskmetering.application.port.in.CloseHoursUseCase.CloseHoursResult;
import io.taskmetering.application.port.in.EvaluationResult;
import io.taskmetering.application.port.in.EvidenceBundle;
import io.taskmetering.application.port.in.OutcomeResult;
import io.taskmetering.application.port.in.SubmitUsageEventsUseCase.SubmissionRunResult;
import io.taskmetering.application.model.LeasedUsageEvent;
import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.ChargeKey;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.evaluation.Decision;
import io.taskmetering.domain.evaluation.GateResult;
import io.taskmetering.domain.usage.UsageAggregate;
import io.taskmetering.domain.usage.UsageGroupBy;
import io.taskmetering.domain.usage.UsageRecord;
import io.taskmetering.domain.usage.UsageTotals;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The response bodies of the native API: records of plain values (strings, numbers, booleans, lists), mapped
 * explicitly from application and domain types, so no domain type is ever serialized and a change inside the domain
 * cannot silently change the wire format. Field names are snake_case through the mapper's naming strategy.
 */
final class Responses {
    private Responses() {
    }

    static String stateName(ChargeState state) {
        return state == null ? null : state.name();
    }

    static String hourText(BillingHour hour) {
        return hour == null ? null : hour.toString();
    }

    /** One page of a cursor-paged listing. */
    record PageBody<T>(List<T> data, String nextCursor) {
    }

    /** What recording an outcome did ({@code POST /v1/outcomes}). */
    record OutcomeBody(String correlationId, String taskId, String subscriptionRef, boolean intentHandled,
                       boolean adhered, int billableUnits, List<String> reasonCodes, List<String> reviewReasons,
                       String chargeState, boolean duplicate, String chargeCorrelationId, boolean late,
                       String billingHour, String contractVersion, String evidenceSha256, boolean replayed) {
        static OutcomeBody of(OutcomeResult.Decided r) {
            Decision d = r.decision();
            RecordingBody recording = RecordingBody.of(r.recording());
            return new OutcomeBody(r.correlationId().value(), r.taskId().value(), r.subscription().value(),
                    d.intentHandled(), d.adhered(), d.billableUnits(), d.reasonCodes(), d.reviewReasons(),
                    recording.chargeState(), recording.duplicate(), recording.chargeCorrelationId(), recording.late(),
                    recording.billingHour(), d.contractVersion(), d.evidenceSha256(), r.replayed());
        }
    }

    /** One item of {@code POST /v1/outcomes/batch}: a result, or {@code {index, error}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BatchItemBody(Integer index, Integer status, @JsonUnwrapped OutcomeBody result, Problem error) {
    }

    record BatchBody<T>(List<T> results) {
    }

    /** What evaluating an outcome decided ({@code POST /v1/evaluations}); nothing is charged. */
    record EvaluationBody(String correlationId, String taskId, String subscriptionRef, boolean intentHandled,
                          boolean adhered, int billableUnits, List<String> reasonCodes, List<String> reviewReasons,
                          String contractVersion, String evidenceSha256, boolean replayed) {
        static EvaluationBody of(EvaluationResult.Evaluated r, String taskId, String subscriptionRef) {
            Decision d = r.decision();
            return new EvaluationBody(r.correlationId().value(), taskId, subscriptionRef, d.intentHandled(),
                    d.adhered(), d.billableUnits(), d.reasonCodes(), d.reviewReasons(), d.contractVersion(),
                    d.evidenceSha256(), r.replayed());
        }
    }

    record GateBody(String gate, String outcome, String reasonCode) {
        static GateBody of(GateResult g) {
            return new GateBody(g.gate().code(), g.outcome().name().toLowerCase(Locale.ROOT), g.reasonCode());
        }
    }

    record DecisionBody(boolean intentHandled, boolean adhered, int billableUnits, List<String> reasonCodes,
                        List<GateBody> gates, List<String> reviewReasons, String contractVersion,
                        String evidenceSha256) {
        static DecisionBody of(Decision d) {
            return new DecisionBody(d.intentHandled(), d.adhered(), d.billableUnits(), d.reasonCodes(),
                    d.gates().stream().map(GateBody::of).toList(), d.reviewReasons(), d.contractVersion(),
                    d.evidenceSha256());
        }
    }

    /** What recording did, as the wire has always shown it: the state the charge was created in, and so on. */
    record RecordingBody(String chargeState, boolean duplicate, String chargeCorrelationId, boolean late,
                         String billingHour) {
        static RecordingBody of(OutcomeRecord o) {
            if (o == null) {
                return null;
            }
            String charge = o.chargeCorrelationId().map(id -> id.value()).orElse(null);
            if (o instanceof OutcomeRecord.Charged c) {
                return new RecordingBody(ChargeState.QUALIFIED.name(), false, charge, c.late(), hourText(c.billingHour()));
            }
            if (o instanceof OutcomeRecord.HeldForReview h) {
                return new RecordingBody(ChargeState.PENDING_REVIEW.name(), false, charge, h.late(),
                        hourText(h.billingHour()));
            }
            return new RecordingBody(null, o instanceof OutcomeRecord.Duplicate, charge, false, null);
        }
    }

    record ChargeBody(String correlationId, String subscriptionRef, String dimension, String taskId, String agentId,
                      String dedupeScope, String state, String disputedFrom, String billingHour, boolean late,
                      boolean counted, String occurredAt, List<String> holdReasons, long version, String updatedAt) {
        static ChargeBody of(Charge c) {
            if (c == null) {
                return null;
            }
            ChargeKey key = c.key();
            return new ChargeBody(c.correlationId().value(), key.subscription().value(), key.dimension().value(),
                    key.taskId().value(), c.agentId().value(), key.scope(), stateName(c.state()), stateName(c.disputedFrom()),
                    hourText(c.billingHour()), c.late(), c.counted(), Timestamps.format(c.occurredAt()), c.holdReasons(),
                    c.version(), Timestamps.format(c.updatedAt()));
        }
    }

    record LedgerEntryBody(String entryId, String correlationId, String subscriptionRef, String taskId,
                           String dimension, String type, String fromState, String toState, String hour,
                           String actor, String reason, String ruleVersion, String at, String linkedEntryId) {
        static LedgerEntryBody of(LedgerEntry e) {
            return new LedgerEntryBody(e.entryId(), e.correlationId().value(), e.key().subscription().value(),
                    e.key().taskId().value(), e.key().dimension().value(), e.type().name(), stateName(e.fromState()),
                    stateName(e.toState()), hourText(e.hour()), e.actor(), e.reason(), e.ruleVersion(),
                    Timestamps.format(e.at()), e.linkedEntryId());
        }
    }

    record SubmissionAttemptBody(int number, String requestId, String correlationId, String at, Integer httpStatus,
                                 String outcome, String detail) {
        static SubmissionAttemptBody of(SubmissionAttempt a) {
            return new SubmissionAttemptBody(a.number(), a.requestId(), a.correlationId(), Timestamps.format(a.at()),
                    a.httpStatus(), a.outcome(), a.detail());
        }
    }

    /** A usage event in the outbox ({@code GET /v1/usage-events}). */
    record UsageEventBody(String subscriptionRef, String dimension, String hour, long quantity, String planId,
                          String status, String usageEventId, String messageTime, int attempts, String lastError,
                          String createdAt, String updatedAt) {
        static UsageEventBody of(UsageEventRecord r) {
            if (r == null) {
                return null;
            }
            UsageEvent e = r.event();
            return new UsageEventBody(e.resourceId(), e.dimension(), e.effectiveStartTime(), e.quantity(),
                    e.planId().value(), r.status().name(), r.usageEventId(), Timestamps.format(r.messageTime()),
                    r.attempts(), r.lastError(), Timestamps.format(r.createdAt()), Timestamps.format(r.updatedAt()));
        }
    }

    /** Trace entries as stored: a native span's six members, or a sidecar client's object as it sent it. */
    record EvidenceBody(Map<String, Object> outputs, List<Map<String, Object>> traces, Map<String, Double> scores,
                        String query, String response) {
        static EvidenceBody of(io.taskmetering.domain.evaluation.Evidence e) {
            return new EvidenceBody(e.outputs(), e.traces(), e.scores(), e.query(), e.response());
        }
    }

    /**
     * {@code GET /v1/audit/{correlation_id}}: everything that explains one decision; for a task read from a trace, the
     * spans of its tree that arrived after it was decided ({@code late_spans}, shown, never decided or billed).
     */
    record EvidenceBundleBody(String correlationId, String kind, String taskId, String agentId,
                              String subscriptionRef, String dimension, String planId, String occurredAt,
                              String receivedAt, Map<String, String> metadata, DecisionBody decision,
                              EvidenceBody evidence, String evidenceCanonicalization, ContractSettingsBody contract,
                              RecordingBody outcome,
                              ChargeBody charge,
                              List<LedgerEntryBody> history, UsageEventBody usageEvent,
                              List<SubmissionAttemptBody> submissionAttempts, List<Map<String, Object>> lateSpans) {
        static EvidenceBundleBody of(EvidenceBundle b) {
            StoredDecision d = b.decision();
            return new EvidenceBundleBody(d.correlationId().value(), d.kind().name().toLowerCase(Locale.ROOT),
                    d.taskId().value(), d.agentId().value(), d.subscription().value(), d.dimension().value(),
                    d.planId().value(), Timestamps.format(d.occurredAt()), Timestamps.format(d.receivedAt()),
                    d.metadata(), DecisionBody.of(d.decision()), EvidenceBody.of(d.evidence()),
                    d.evidenceCanonicalization().label(), ContractSettingsBody.of(b.contract()),
                    RecordingBody.of(b.outcome()), ChargeBody.of(b.charge()),
                    b.history().stream().map(LedgerEntryBody::of).toList(), UsageEventBody.of(b.usageEvent()),
                    b.submissionAttempts().stream().map(SubmissionAttemptBody::of).toList(), b.lateSpans());
        }
    }

    record AnomalyBody(String id, String type, String subscriptionRef, String timestamp, String detail,
                       String capType, Long capValue, Long actualValue, String taskId, String correlationId,
                       String dimension, String hour) {
        static AnomalyBody of(Anomaly a) {
            return new AnomalyBody(a.id(), a.type().wireName(), a.subscription().value(),
                    Timestamps.format(a.occurredAt()), a.detail(), a.capType() == null ? null : a.capType().wireName(),
                    a.capValue(), a.actualValue(), a.taskId() == null ? null : a.taskId().value(),
                    a.correlationId() == null ? null : a.correlationId().value(),
                    a.dimension() == null ? null : a.dimension().value(), hourText(a.hour()));
        }
    }

    record HourBody(String subscriptionRef, String dimension, String hour) {
        static HourBody of(BucketKey key) {
            return new HourBody(key.subscription().value(), key.dimension().value(), key.hour().toString());
        }
    }

    record ClosedEventBody(String subscriptionRef, String dimension, String hour, long quantity, String planId) {
        static ClosedEventBody of(UsageEvent e) {
            return new ClosedEventBody(e.resourceId(), e.dimension(), e.effectiveStartTime(), e.quantity(),
                    e.planId().value());
        }
    }

    record SubmissionBody(String subscriptionRef, String dimension, String hour, String status, String usageEventId,
                          Long marketplaceQuantity, String errorCode, String errorMessage,
                          List<SubmissionAttemptBody> attempts) {
        static SubmissionBody of(SubmissionResult r) {
            return new SubmissionBody(r.key().subscription().value(), r.key().dimension().value(),
                    r.key().hour().toString(), r.status().name(), r.usageEventId(), r.marketplaceQuantity(),
                    r.errorCode(), r.errorMessage(), r.attempts().stream().map(SubmissionAttemptBody::of).toList());
        }
    }

    record InFlightBody(String subscriptionRef, String dimension, String hour, String claimedBy, String claimedUntil) {
        static InFlightBody of(LeasedUsageEvent leased) {
            return new InFlightBody(leased.key().subscription().value(), leased.key().dimension().value(),
                    leased.key().hour().toString(), leased.claimedBy(), Timestamps.format(leased.leaseUntil()));
        }
    }

    /**
     * {@code POST /v1/usage-events/submit}: what was closed, what each submission ended as, and the due hours another
     * worker is sending (left alone until its claim runs out).
     */
    record SubmitBody(List<ClosedEventBody> closed, List<HourBody> closedEmpty, List<SubmissionBody> submissions,
                      long chargesInvoiced, List<InFlightBody> inFlightElsewhere) {
        static SubmitBody of(CloseHoursResult closed, SubmissionRunResult run) {
            return new SubmitBody(closed.events().stream().map(ClosedEventBody::of).toList(),
                    closed.emptyBuckets().stream().map(HourBody::of).toList(),
                    run.results().stream().map(SubmissionBody::of).toList(), run.chargesInvoiced(),
                    run.inFlightElsewhere().stream().map(InFlightBody::of).toList());
        }
    }

    record UsageRecordBody(String taskId, String agentId, String consumerId, long tokensIn, long tokensOut,
                           long durationMs, long apiCalls, String timestamp) {
        static UsageRecordBody of(UsageRecord r) {
            return new UsageRecordBody(r.taskId().value(), r.agentId().value(), r.consumerId().value(), r.tokensIn(),
                    r.tokensOut(), r.durationMs(), r.apiCalls(), Timestamps.format(r.timestamp()));
        }
    }

    record UsageListBody(List<UsageRecordBody> data, int count, long total, int limit, long offset) {
    }

    record UsageDataBody<T>(List<T> data, int count) {
    }

    record UsageRecordedBody(String status, String taskId, boolean duplicate) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record UsageBatchItemBody(int index, String status, String taskId, Boolean duplicate, Problem error) {
    }

    record UsageBatchBody(List<UsageBatchItemBody> results, int recorded, int duplicates, int failed,
                          List<String> taskIds) {
    }

    record TotalsBody(long totalTasks, long totalTokens, long totalTokensIn, long totalTokensOut,
                      long totalDurationMs, long totalApiCalls, long uniqueAgents, long uniqueConsumers,
                      BigDecimal avgTokensPerTask, BigDecimal avgDurationMsPerTask, boolean saturated) {
        static TotalsBody of(UsageTotals t) {
            return new TotalsBody(t.totalTasks(), t.totalTokens(), t.totalTokensIn(), t.totalTokensOut(),
                    t.totalDurationMs(), t.totalApiCalls(), t.uniqueAgents(), t.uniqueConsumers(),
                    t.avgTokensPerTask(), t.avgDurationMsPerTask(), t.saturated());
        }
    }

    /** One group of an aggregate; exactly one of agent_id, consumer_id, period is set. */
    record AggregateItemBody(@JsonInclude(JsonInclude.Include.NON_NULL) String agentId,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String consumerId,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String period,
                             long totalTasks, long totalTokens, long totalTokensIn, long totalTokensOut,
                             long totalDurationMs, long totalApiCalls, long uniqueAgents, long uniqueConsumers,
                             BigDecimal avgTokensPerTask, BigDecimal avgDurationMsPerTask, boolean saturated) {
        static AggregateItemBody of(UsageAggregate a) {
            UsageTotals t = a.totals();
            UsageGroupBy by = a.groupBy();
            return new AggregateItemBody(by == UsageGroupBy.AGENT ? a.group() : null,
                    by == UsageGroupBy.CONSUMER ? a.group() : null,
                    by != UsageGroupBy.AGENT && by != UsageGroupBy.CONSUMER ? a.group() : null,
                    t.totalTasks(), t.totalTokens(), t.totalTokensIn(), t.totalTokensOut(), t.totalDurationMs(),
                    t.totalApiCalls(), t.uniqueAgents(), t.uniqueConsumers(), t.avgTokensPerTask(),
                    t.avgDurationMsPerTask(), t.saturated());
        }
    }

    record AggregateBody(String groupBy, List<AggregateItemBody> data) {
    }

    record UsageStatsBody(long totalEvents, String oldestTimestamp, long retentionTtlSeconds) {
    }

    record PurgeBody(String status, long removed, long usageRecords, long decisions, long submissionAttempts,
                     long traceSpans) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ValidateBody(boolean valid, UsageRecordBody record, String field, String error) {
    }

    record StatusBody(String status) {
    }

    /** A contract version's settings, as {@code POST /v1/contracts} takes them and the evidence bundle shows them. */
    record ContractSettingsBody(String version, List<String> requiredOutputKeys, boolean requireApproval,
                                boolean requireIntentResolution, double intentResolutionThreshold,
                                boolean holdAmbiguousForReview) {
        static ContractSettingsBody of(ContractConfig c) {
            return c == null ? null : new ContractSettingsBody(c.version(), c.requiredOutputKeys(), c.requireApproval(),
                    c.requireIntentResolution(), c.intentResolutionThreshold(), c.holdAmbiguousForReview());
        }
    }

    /**
     * Where and when a version applies: {@code scope} global or subscription, from {@code effective_from} (null: the
     * beginning of time) until {@code effective_until} (null: open-ended).
     */
    record ContractPeriodBody(String scope, String subscriptionRef, String effectiveFrom, String effectiveUntil) {
        static ContractPeriodBody of(ContractPeriod p) {
            SubscriptionRef subscription = p.scope().subscriptionOrNull();
            return new ContractPeriodBody(scopeName(p.scope()), subscription == null ? null : subscription.value(),
                    Timestamps.format(p.effectiveFrom()), Timestamps.format(p.effectiveUntil()));
        }
    }

    /** {@code GET /v1/contracts/{version}} and the answer of creating one. */
    record ContractVersionBody(@JsonUnwrapped ContractSettingsBody settings, String createdAt, boolean bootstrapDefault,
                               List<ContractPeriodBody> applies) {
        static ContractVersionBody of(ContractQueries.VersionInSchedule v, java.util.function.Predicate<ContractPeriod> visible) {
            return new ContractVersionBody(ContractSettingsBody.of(v.version().settings()),
                    Timestamps.format(v.version().createdAt()), v.bootstrapDefault(),
                    v.periods().stream().filter(visible).map(ContractPeriodBody::of).toList());
        }
    }

    /** {@code GET /v1/contracts}. */
    record ContractListBody(List<ContractVersionBody> data) {
    }

    /** {@code POST /v1/contracts/{version}/activate}. */
    record ActivationBody(String version, String scope, String subscriptionRef, String effectiveFrom, String createdAt) {
        static ActivationBody of(StoredActivation stored) {
            ContractActivation a = stored.activation();
            SubscriptionRef subscription = a.scope().subscriptionOrNull();
            return new ActivationBody(a.version(), scopeName(a.scope()),
                    subscription == null ? null : subscription.value(), Timestamps.format(a.effectiveFrom()),
                    Timestamps.format(stored.createdAt()));
        }
    }

    private static String scopeName(ContractScope scope) {
        return scope.subscriptionOrNull() == null ? "global" : "subscription";
    }

    /** A reconciliation run: the day's hours on both sides, and every hour that differs. */
    record ReconciliationBody(String day, String runId, String ranAt, String status, int hoursCompared, int matching,
                              List<MismatchBody> mismatched, List<MissingBody> missingAtMarketplace,
                              List<MissingBody> missingHere) {
        static ReconciliationBody of(Reconciliation run) {
            return new ReconciliationBody(run.day().toString(), run.runId(), Timestamps.format(run.ranAt()),
                    run.consistent() ? "consistent" : "differences", run.hoursCompared(), run.matching(),
                    run.of(Reconciliation.Kind.MISMATCHED).stream().map(d -> new MismatchBody(d.subscription().value(),
                            d.dimension().value(), Timestamps.format(d.hour().start()), d.ours(), plain(d.theirs())))
                            .toList(),
                    run.of(Reconciliation.Kind.MISSING_AT_MARKETPLACE).stream().map(d -> new MissingBody(
                            d.subscription().value(), d.dimension().value(), Timestamps.format(d.hour().start()),
                            BigDecimal.valueOf(d.ours()))).toList(),
                    run.of(Reconciliation.Kind.MISSING_HERE).stream().map(d -> new MissingBody(d.subscription().value(),
                            d.dimension().value(), Timestamps.format(d.hour().start()), plain(d.theirs()))).toList());
        }

        /** Written as a plain number (12, not 1.2E+1). */
        private static BigDecimal plain(BigDecimal value) {
            return new BigDecimal(value.toPlainString());
        }
    }

    /** An hour both sides hold with different quantities: ours (recorded as accepted) and theirs (the Marketplace). */
    record MismatchBody(String subscriptionRef, String dimension, String hour, long ours, BigDecimal theirs) {
    }

    /** An hour only one side holds, with that side's quantity. */
    record MissingBody(String subscriptionRef, String dimension, String hour, BigDecimal quantity) {
    }

    /** Dry-run: no Marketplace was ever sent anything. */
    record NothingToCompareBody(String day, String status, String message) {
    }

    /** A contract version running in shadow, for every subscription ({@code global}) or one. */
    record ShadowRunBody(String version, String scope, String subscriptionRef, String startedAt) {
        static ShadowRunBody of(ShadowRun run) {
            SubscriptionRef subscription = run.scope().subscriptionOrNull();
            return new ShadowRunBody(run.version(), scopeName(run.scope()),
                    subscription == null ? null : subscription.value(), Timestamps.format(run.startedAt()));
        }
    }

    record ShadowRunListBody(List<ShadowRunBody> data) {
    }

    record ShadowStoppedBody(String version, String scope, String subscriptionRef, String status) {
        static ShadowStoppedBody of(StopShadowResult.Stopped stopped) {
            SubscriptionRef subscription = stopped.scope().subscriptionOrNull();
            return new ShadowStoppedBody(stopped.version(), scopeName(stopped.scope()),
                    subscription == null ? null : subscription.value(), "stopped");
        }
    }

    /** One outcome one version bills and the other does not; {@code to_billable}: the shadow (or replay) bills it. */
    record ShadowFlipBody(String taskId, String correlationId, boolean toBillable, List<String> liveReasonCodes,
                          List<String> shadowReasonCodes) {
        static ShadowFlipBody of(DecisionFlip f) {
            return new ShadowFlipBody(f.taskId().value(), f.correlationId().value(), f.toBillable(), f.fromReasonCodes(),
                    f.toReasonCodes());
        }
    }

    /** One row of {@code GET /v1/contracts/{version}/shadow-report}. */
    record ShadowHourBody(String subscriptionRef, String hour, long evaluated, long billableLive, long billableShadow,
                          long flipCount, List<ShadowFlipBody> flips) {
        static ShadowHourBody of(ShadowHour h) {
            return new ShadowHourBody(h.subscription().value(), Timestamps.format(h.hour().start()), h.evaluated(),
                    h.billableLive(), h.billableShadow(), h.flipCount(),
                    h.flips().stream().map(ShadowFlipBody::of).toList());
        }
    }

    record ReplayFlipBody(String taskId, String correlationId, String subscriptionRef, String hour, boolean toBillable,
                          List<String> recordedReasonCodes, List<String> replayedReasonCodes) {
        static ReplayFlipBody of(DecisionFlip f) {
            return new ReplayFlipBody(f.taskId().value(), f.correlationId().value(), f.subscription().value(),
                    Timestamps.format(f.hour().start()), f.toBillable(), f.fromReasonCodes(), f.toReasonCodes());
        }
    }

    record ReplayHourBody(String subscriptionRef, String hour, long quantityDifference) {
    }

    record ReplayMismatchBody(String correlationId, String contractVersion, String difference) {
    }

    /** {@code POST /v1/replays}: the counts of the whole window, one page of flips, and any decision not reproduced. */
    record ReplayBody(String contractVersion, String from, String to, String subscriptionRef, long replayed,
                      long unchanged, long flippedToBillable, long flippedToNotBillable, List<ReplayHourBody> hours,
                      List<ReplayFlipBody> flips, String nextCursor, long mismatchCount,
                      List<ReplayMismatchBody> mismatches) {
        static ReplayBody of(ReplayQuery query, String subscriptionRef, ReplayResult.Replayed r) {
            return new ReplayBody(r.contractVersion(), Timestamps.format(query.from()), Timestamps.format(query.to()),
                    subscriptionRef, r.replayed(), r.unchanged(), r.flippedToBillable(), r.flippedToNotBillable(),
                    r.hours().stream().map(h -> new ReplayHourBody(h.subscription().value(),
                            Timestamps.format(h.hour().start()), h.quantityDifference())).toList(),
                    r.flips().stream().map(ReplayFlipBody::of).toList(), r.nextCursor(), r.mismatchCount(),
                    r.mismatches().stream().map(m -> new ReplayMismatchBody(m.correlationId().value(),
                            m.contractVersion(), m.difference())).toList());
        }
    }
}
