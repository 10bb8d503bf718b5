package io.taskmetering.application.service;

import io.taskmetering.application.model.AnomalyQuery;
import io.taskmetering.application.model.ChargeQuery;
import io.taskmetering.application.model.ContractVersion;
import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.StoredDecision;
import io.taskmetering.application.model.SubmissionAttempt;
import io.taskmetering.application.model.UsageEventRecord;
import io.taskmetering.application.port.in.ChargeQueries;
import io.taskmetering.application.port.in.ChargeQueries.CreditsQuery;
import io.taskmetering.application.port.in.EvidenceBundle;
import io.taskmetering.application.port.out.AnomalyPort;
import io.taskmetering.application.port.out.LedgerPort;
import io.taskmetering.application.port.out.LoadContractsPort;
import io.taskmetering.application.port.out.LoadChargesPort;
import io.taskmetering.application.port.out.LoadDecisionsPort;
import io.taskmetering.application.port.out.LoadUsageEventsPort;
import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.LedgerEntry;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.evaluation.ContractConfig;
import io.taskmetering.domain.evaluation.Evidence;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ArrayList;
import java.util.HashMap;
import java.time.Instant;
import io.taskmetering.application.model.ReceivedSpan;
import io.taskmetering.application.port.out.LoadTraceSpansPort;
import io.taskmetering.domain.trace.TraceTasks;
import java.util.Optional;
import java.util.Set;

/**
 * Listings read straight from storage, and the evidence bundle of one decision. A duplicate's bundle shows the
 * original charge, which is why it was not billed again. Configured evidence keys are redacted; the SHA-256 stays that
 * of the evidence as received.
 */
public final class ChargeQueryService implements ChargeQueries {
    static final String REDACTED = "[REDACTED]";

    private final LoadDecisionsPort decisions;
    private final LoadChargesPort charges;
    private final LedgerPort ledger;
    private final AnomalyPort anomalies;
    private final LoadUsageEventsPort usageEvents;
    private final LoadContractsPort contracts;
    private final LoadTraceSpansPort traceSpans;
    private final Set<String> redactKeys;

    public ChargeQueryService(LoadDecisionsPort decisions, LoadChargesPort charges, LedgerPort ledger,
                              AnomalyPort anomalies, LoadUsageEventsPort usageEvents, LoadContractsPort contracts,
                              LoadTraceSpansPort traceSpans, BillingPolicy policy) {
        this.decisions = decisions;
        this.charges = charges;
        this.ledger = ledger;
        this.anomalies = anomalies;
        this.usageEvents = usageEvents;
        this.contracts = contracts;
        this.traceSpans = traceSpans;
        this.redactKeys = policy.redactKeys();
    }

    @Override
    public Page<Charge> listCharges(ChargeQuery query) {
        return charges.findCharges(query);
    }

    @Override
    public Page<LedgerEntry> listCredits(CreditsQuery query) {
        return ledger.credits(query.subscriptions(), query.limit(), query.cursor());
    }

    @Override
    public Page<Anomaly> listAnomalies(AnomalyQuery query) {
        return anomalies.findAnomalies(query);
    }

    @Override
    public Optional<EvidenceBundle> evidenceBundle(CorrelationId correlationId) {
        Objects.requireNonNull(correlationId, "correlationId");
        return decisions.findDecision(correlationId).map(decision -> {
            OutcomeRecord outcome = decisions.findOutcomes(List.of(decision.correlationId())).get(decision.correlationId());
            Charge charge = outcome == null
                    ? null
                    : outcome.chargeCorrelationId().flatMap(charges::findCharge).orElse(null);
            List<LedgerEntry> history = charge == null ? List.of() : ledger.history(charge.correlationId());
            UsageEventRecord usageEvent = charge == null
                    ? null
                    : usageEvents.findUsageEvent(charge.bucket()).orElse(null);
            List<SubmissionAttempt> attempts = usageEvent == null ? List.of()
                    : usageEvents.findAttempts(usageEvent.event().key());
            ContractConfig contract = contracts.findVersion(decision.decision().contractVersion())
                    .map(ContractVersion::settings).orElse(null);
            return new EvidenceBundle(redact(decision), contract, outcome, charge, history, usageEvent, attempts,
                    lateSpans(decision));
        });
    }

    /** The spans of a trace-derived task that arrived after it was decided, each with when it arrived. */
    private List<Map<String, Object>> lateSpans(StoredDecision decision) {
        return traceSpans.findDecidedTaskCandidate(decision.correlationId()).map(candidate -> {
            List<ReceivedSpan> trace = traceSpans.findTraceSpans(Set.of(candidate.traceId()))
                    .getOrDefault(candidate.traceId(), List.of());
            Map<String, Instant> received = new HashMap<>();
            trace.forEach(s -> received.putIfAbsent(s.span().spanId(), s.receivedAt()));
            List<Map<String, Object>> late = new ArrayList<>();
            for (Map<String, Object> entry : TraceTasks.lateSpans(candidate.spanId(),
                    trace.stream().map(ReceivedSpan::span).toList(), decision.evidence())) {
                Map<String, Object> shown = new LinkedHashMap<>(entry);
                shown.put("received_at", received.get((String) entry.get("span_id")).toString());
                late.add(shown);
            }
            return late;
        }).orElse(List.of());
    }

    private StoredDecision redact(StoredDecision decision) {
        if (redactKeys.isEmpty()) {
            return decision;
        }
        Evidence e = decision.evidence();
        Map<String, Object> outputs = new LinkedHashMap<>(e.outputs());
        outputs.replaceAll((key, value) -> redactKeys.contains(key) ? REDACTED : value);
        Evidence redacted = new Evidence(outputs, e.traces(), e.scores(),
                e.query() != null && redactKeys.contains("query") ? REDACTED : e.query(),
                e.response() != null && redactKeys.contains("response") ? REDACTED : e.response());
        return new StoredDecision(decision.correlationId(), decision.taskId(), decision.agentId(),
                decision.subscription(), decision.dimension(), decision.planId(), decision.kind(),
                decision.occurredAt(), decision.receivedAt(), redacted, decision.decision(), decision.metadata(),
                decision.evidenceCanonicalization());
    }
}
