package io.taskmetering.adapter.rest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.port.in.UsageEventQueries.Backlog;
import io.taskmetering.application.port.in.UsageEventQueries;
import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.port.in.OutcomeResult;
import io.taskmetering.application.port.in.SettleTracesResult;
import io.taskmetering.application.port.in.SubmitUsageEventsUseCase.SubmissionRunResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.ToLongFunction;

/**
 * The business and HTTP metrics served at {@code GET /metrics}. Labels never carry a subscription, task or key, so
 * the series count stays bounded and no tenant data leaks through the scrape. Bootstrap's scheduler records its own
 * submission runs through {@link #recordSubmissions} and its trace settle runs through {@link #recordSettle}.
 */
public final class MeteringMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(MeteringMetrics.class);

    private final PrometheusMeterRegistry registry;
    private volatile UsageEventQueries backlog;
    private volatile Backlog lastBacklog;
    private final AtomicLong traceTasksWaiting = new AtomicLong();

    public MeteringMetrics(PrometheusMeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        Gauge.builder("metering.trace.tasks.waiting", traceTasksWaiting, AtomicLong::get)
                .description("Agent spans waiting for their settle delay or their parent, at the last settle run")
                .register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * One recorded outcome, by result: {@code qualified}, {@code pending_review}, {@code not_billable},
     * {@code duplicate} or {@code replayed}.
     */
    public void recordOutcome(OutcomeResult.Decided result) {
        String label;
        if (result.replayed()) {
            label = "replayed";
        } else if (result.recording() instanceof OutcomeRecord.Duplicate) {
            label = "duplicate";
            counter("metering.duplicates.suppressed", "Outcomes not charged again because the task was already charged").increment();
        } else if (result.recording() instanceof OutcomeRecord.Charged) {
            label = "qualified";
        } else if (result.recording() instanceof OutcomeRecord.HeldForReview) {
            label = "pending_review";
            if (result.decision().reviewReasons().isEmpty()) {
                // Held without an ambiguity reason: a guardrail cap was hit, which the service stores as an anomaly.
                anomaly("cap_exceeded");
            }
        } else {
            label = "not_billable";
        }
        Counter.builder("metering.outcomes").description("Outcomes recorded, by result")
                .tag("result", label).register(registry).increment();
    }

    /** An outcome refused before recording (validation, scope). */
    public void recordRejectedOutcome() {
        Counter.builder("metering.outcomes").description("Outcomes recorded, by result")
                .tag("result", "rejected").register(registry).increment();
    }

    public void recordEvaluation(boolean replayed) {
        Counter.builder("metering.evaluations").description("Evaluations without charge")
                .tag("replayed", Boolean.toString(replayed)).register(registry).increment();
    }

    /** A review decision: {@code approve} or {@code reject}. */
    public void recordReview(String verdict) {
        Counter.builder("metering.reviews").description("Review decisions on held charges")
                .tag("verdict", verdict).register(registry).increment();
    }

    /** A dispute step: {@code opened}, {@code uphold} or {@code reverse}. */
    public void recordDispute(String action) {
        Counter.builder("metering.disputes").description("Disputes opened and resolved")
                .tag("action", action).register(registry).increment();
    }

    /** Every submission of a run, by status; failures that the service stores as anomalies are counted as such. */
    public void recordSubmissions(SubmissionRunResult run) {
        for (SubmissionResult result : run.results()) {
            String status = result.status().label();
            Counter.builder("metering.submissions").description("Usage event submissions, by final status")
                    .tag("status", status).register(registry).increment();
            switch (result.status()) {
                case DISCREPANCY -> anomaly("submission_discrepancy");
                case EXPIRED -> anomaly("submission_expired");
                case DEADLINE_PASSED -> anomaly("submission_deadline");
                case REJECTED -> anomaly("submission_rejected");
                case UNAUTHORIZED -> anomaly("submission_unauthorized");
                default -> {
                }
            }
        }
        if (run.chargesInvoiced() > 0) {
            counter("metering.charges.invoiced", "Charges that became BILLABLE").increment(run.chargesInvoiced());
        }
    }

    /**
     * The spans of one trace export, by encoding ({@code protobuf}, {@code json}): kept (a span sent again counts as
     * kept) and rejected.
     */
    void recordSpans(String encoding, long accepted, long rejected) {
        Counter.builder("metering.trace.spans").description("Spans received on POST /v1/traces, by encoding and result")
                .tag("encoding", encoding).tag("result", "accepted").register(registry).increment(accepted);
        Counter.builder("metering.trace.spans").description("Spans received on POST /v1/traces, by encoding and result")
                .tag("encoding", encoding).tag("result", "rejected").register(registry).increment(rejected);
    }

    /** A trace export refused with 429 because as many as allowed were being decoded. */
    void recordTraceExportThrottled() {
        counter("metering.trace.exports.throttled", "Trace exports refused with 429 while others were decoded").increment();
    }

    /**
     * One settle run of the scheduler: tasks decided from their traces, agent spans found nested in another task,
     * tasks that could not be metered (an anomaly of the trace, see the log), and agent spans still waiting (a gauge).
     */
    public void recordSettle(SettleTracesResult run) {
        if (run.tasksDecided() > 0) {
            counter("metering.trace.tasks.decided", "Tasks decided from their agent spans").increment(run.tasksDecided());
        }
        if (run.nestedAgentSpans() > 0) {
            counter("metering.trace.agent_spans.nested", "Agent spans that are part of another task's evidence")
                    .increment(run.nestedAgentSpans());
        }
        if (run.refused() > 0) {
            counter("metering.trace.tasks.refused", "Agent tasks that could not be metered from their trace")
                    .increment(run.refused());
        }
        traceTasksWaiting.set(run.waiting());
    }

    public void recordUsageRecords(long stored, long duplicates) {
        counter("metering.usage.records", "Usage records stored").increment(stored);
        if (duplicates > 0) {
            counter("metering.usage.records.duplicate", "Usage records already stored").increment(duplicates);
        }
    }

    /** Request latency by method, route template (never the raw path) and status. */
    void recordRequest(String method, String route, int status, Duration duration) {
        Timer.builder("http.server.requests").description("HTTP request latency")
                .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                .publishPercentileHistogram(false)
                .register(registry).record(duration);
    }

    /**
     * Gauges of what is waiting: usage events not settled with the Marketplace, charges held for review, charges
     * under dispute. {@link #scrape()} reads the backlog once from the database and the three gauges show that reading.
     * A database that cannot answer shows as NaN and is logged, never as a stale or zero number.
     */
    void registerBacklog(UsageEventQueries backlog) {
        this.backlog = backlog;
        Gauge.builder("metering.usage_events.pending", this, m -> m.backlogValue(Backlog::usageEventsPending))
                .description("Usage events not yet settled with the Marketplace").register(registry);
        Gauge.builder("metering.charges.pending_review", this, m -> m.backlogValue(Backlog::chargesPendingReview))
                .description("Charges held for a person's review").register(registry);
        Gauge.builder("metering.charges.disputed", this, m -> m.backlogValue(Backlog::chargesDisputed))
                .description("Charges under dispute").register(registry);
    }

    /**
     * A gauge of how long storage has been continuously unavailable, in seconds; 0 while it takes writes. Read on
     * every scrape from {@code unavailableSeconds}, which never touches the database.
     */
    public void registerStorageOutage(DoubleSupplier unavailableSeconds) {
        Gauge.builder("metering.storage.unavailable.seconds", unavailableSeconds, DoubleSupplier::getAsDouble)
                .description("How long storage has been continuously unavailable; 0 while it takes writes")
                .strongReference(true) // the supplier is referenced nowhere else
                .register(registry);
    }

    private double backlogValue(ToLongFunction<Backlog> field) {
        Backlog reading = lastBacklog;
        return reading == null ? Double.NaN : field.applyAsLong(reading);
    }

    private void readBacklog() {
        if (backlog == null) {
            return;
        }
        try {
            lastBacklog = backlog.backlog();
        } catch (RuntimeException e) {
            lastBacklog = null;
            LOG.warn("backlog gauges unavailable: error={}", e.toString());
        }
    }

    private void anomaly(String type) {
        Counter.builder("metering.anomalies").description("Anomalies raised, by type")
                .tag("type", type).register(registry).increment();
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    /** Serialised so that concurrent scrapes do not interleave a backlog reading with another's gauges. */
    synchronized String scrape() {
        readBacklog();
        return registry.scrape();
    }
}
