package io.taskmetering.bootstrap;

import io.taskmetering.application.port.out.RetentionPurgePort.PurgeCounts;
import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.port.in.CloseHoursCommand;
import io.taskmetering.application.port.in.CloseHoursUseCase.CloseHoursResult;
import io.taskmetering.application.port.in.CloseHoursUseCase;
import io.taskmetering.application.model.Reconciliation;
import io.taskmetering.application.port.in.PurgeExpiredUseCase;
import io.taskmetering.application.port.in.ReconcileCommand;
import io.taskmetering.application.port.in.ReconcileResult;
import io.taskmetering.application.port.in.ReconcileUseCase;
import io.taskmetering.application.port.in.SettleTracesResult;
import io.taskmetering.application.port.in.SettleTracesUseCase;
import io.taskmetering.application.port.in.SubmitUsageEventsUseCase.SubmissionRunResult;
import io.taskmetering.application.port.in.SubmitUsageEventsCommand;
import io.taskmetering.application.port.in.SubmitUsageEventsUseCase;
import io.taskmetering.application.port.out.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Closes due hours, submits due usage events (retries are simply the next run), purges expired data and, once a day
 * from {@code reconcileAt} (UTC), reconciles the previous UTC day with the Marketplace, on one background thread. Stopping waits for the run in progress, so no submission is cut in half.
 *
 * <p>On a second thread, every {@code settleInterval} (a second by default), it decides the agent tasks whose traces
 * have settled: apart from the billing thread, so a Marketplace that answers slowly never holds a task back past its
 * settle delay.
 *
 * <p>While storage is unavailable the scheduler skips its runs (the persistence adapter probes the database and says
 * when it is back); a run that fails because storage went away is logged as one warning and retried at the next
 * interval. No failure stops the scheduler.
 */
final class BillingScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BillingScheduler.class);
    private static final Duration PURGE_EVERY = Duration.ofHours(1);

    private final CloseHoursUseCase closeHours;
    private final SubmitUsageEventsUseCase submit;
    private final PurgeExpiredUseCase purge;
    private final ReconcileUseCase reconcile;
    private final LocalTime reconcileAt;
    private final Duration interval;
    private final Clock clock;
    private final BooleanSupplier storageAvailable;
    private final Consumer<SubmissionRunResult> onSubmission;
    private final SettleTracesUseCase settle;
    private final Duration settleInterval;
    private final Consumer<SettleTracesResult> onSettle;
    private final ScheduledExecutorService executor = daemonThread("billing-scheduler");
    private final ScheduledExecutorService settler = daemonThread("trace-settler");
    private Instant lastPurge = Instant.EPOCH;
    /** The last day reconciled by this instance; a restart reconciles the previous day once more (a new run). */
    private LocalDate lastReconciled;
    private boolean skipping;

    BillingScheduler(CloseHoursUseCase closeHours, SubmitUsageEventsUseCase submit, PurgeExpiredUseCase purge,
                     ReconcileUseCase reconcile, LocalTime reconcileAt, Duration interval, Clock clock,
                     BooleanSupplier storageAvailable, Consumer<SubmissionRunResult> onSubmission,
                     SettleTracesUseCase settle, Duration settleInterval, Consumer<SettleTracesResult> onSettle) {
        this.closeHours = closeHours;
        this.submit = submit;
        this.purge = purge;
        this.reconcile = reconcile;
        this.reconcileAt = reconcileAt;
        this.interval = interval;
        this.clock = clock;
        this.storageAvailable = storageAvailable;
        this.onSubmission = onSubmission;
        this.settle = settle;
        this.settleInterval = settleInterval;
        this.onSettle = onSettle;
    }

    private static ScheduledExecutorService daemonThread(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() {
        executor.scheduleWithFixedDelay(this::runSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        settler.scheduleWithFixedDelay(this::settleSafely, settleInterval.toMillis(), settleInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * One settle run, skipped while storage is unavailable (the billing thread logs the pause); a failure is logged and
     * the next run retries: a task is decided by its charge key once, however often its run is repeated.
     */
    private void settleSafely() {
        try {
            if (storageAvailable.getAsBoolean()) {
                settleOnce();
            }
        } catch (StorageException e) {
            if (!e.retryable()) {
                LOG.error("event=trace_settle_failed error={}", e.toString(), e);
            } else {
                LOG.warn("event=trace_settle_failed reason=storage_unavailable error={}", e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.error("event=trace_settle_failed error={}", e.toString(), e);
        }
    }

    /** Decides the tasks whose traces have settled; logs a run that decided or found anything. */
    SettleTracesResult settleOnce() {
        SettleTracesResult run = settle.settleDue();
        onSettle.accept(run);
        if (run.tasksDecided() > 0 || run.nestedAgentSpans() > 0 || run.refused() > 0) {
            LOG.info("event=trace_settle_run tasks_decided={} nested_agent_spans={} refused={} waiting={}",
                    run.tasksDecided(), run.nestedAgentSpans(), run.refused(), run.waiting());
        }
        return run;
    }

    private void runSafely() {
        try {
            if (!storageAvailable.getAsBoolean()) {
                if (!skipping) {
                    LOG.warn("event=scheduler_runs_paused reason=storage_unavailable");
                    skipping = true;
                }
                return;
            }
            if (skipping) {
                LOG.info("event=scheduler_runs_resumed");
                skipping = false;
            }
            runOnce(true);
            reconcileDue();
        } catch (StorageException e) {
            if (!e.retryable()) {
                LOG.error("event=scheduler_run_failed error={}", e.toString(), e);
            } else {
                // Storage went away or stayed busy: the run's transactions were rolled back; the next run retries.
                LOG.warn("event=scheduler_run_failed reason=storage_unavailable error={}", e.getMessage());
            }
        } catch (RuntimeException e) {
            // The next run retries; the failure is logged with its cause, never swallowed silently.
            LOG.error("event=scheduler_run_failed error={}", e.toString(), e);
        }
    }

    /** One pass: close due hours, submit until nothing due is left, and purge at most once an hour. */
    RunSummary runOnce(boolean withPurge) {
        String runId = UUID.randomUUID().toString();
        MDC.put("correlation_id", runId);
        try {
            CloseHoursResult closed = closeHours.closeDueHours(CloseHoursCommand.defaults());
            List<SubmissionResult> results = new ArrayList<>();
            long invoiced = 0;
            while (true) {
                SubmissionRunResult run = submit.submitDue(SubmitUsageEventsCommand.defaults());
                results.addAll(run.results());
                invoiced += run.chargesInvoiced();
                onSubmission.accept(run);
                if (run.results().size() < SubmitUsageEventsCommand.DEFAULT_MAX_EVENTS) {
                    break;
                }
            }
            PurgeCounts purged = null;
            Instant now = clock.instant();
            if (withPurge && !now.isBefore(lastPurge.plus(PURGE_EVERY))) {
                purged = purge.purgeExpired();
                lastPurge = now;
            }
            RunSummary summary = new RunSummary(closed, results, invoiced, purged);
            if (!closed.events().isEmpty() || !results.isEmpty() || purged != null && purged.total() > 0) {
                LOG.info("event=scheduler_run closed_hours={} empty_hours={} submitted={} charges_invoiced={} purged={}",
                        closed.events().size(), closed.emptyBuckets().size(), results.size(), invoiced,
                        purged == null ? 0 : purged.total());
            }
            return summary;
        } finally {
            MDC.remove("correlation_id");
        }
    }

    /**
     * Reconciles the previous UTC day once {@code reconcileAt} has passed today and this instance has not done so yet:
     * by then the day's last hour has long been closed and submitted (closing takes the hour's grace, and an hour the
     * Marketplace did not answer is retried within its 24 h window, so a later run may still see it change). A
     * Marketplace that could not be asked is tried again at the next interval.
     */
    Optional<ReconcileResult> reconcileDue() {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate day = today.minusDays(1);
        if (day.equals(lastReconciled) || LocalTime.ofInstant(now, ZoneOffset.UTC).isBefore(reconcileAt)) {
            return Optional.empty();
        }
        ReconcileResult result = reconcile.reconcile(new ReconcileCommand(day));
        if (result instanceof ReconcileResult.Reconciled reconciled) {
            Reconciliation run = reconciled.reconciliation();
            LOG.info("event=reconciliation day={} hours_compared={} matching={} differences={}", day,
                    run.hoursCompared(), run.matching(), run.differences().size());
            lastReconciled = day;
        } else if (result instanceof ReconcileResult.MarketplaceUnavailable unavailable) {
            LOG.warn("event=reconciliation_failed day={} reason={}", day, unavailable.reason());
        } else {
            LOG.info("event=reconciliation_skipped day={} result={}", day, result);
            lastReconciled = day;
        }
        return Optional.of(result);
    }

    record RunSummary(CloseHoursResult closed, List<SubmissionResult> submissions, long chargesInvoiced,
                      PurgeCounts purged) {
    }

    /** Stops scheduling and waits for the runs in progress to finish. */
    @Override
    public void close() {
        settler.shutdown();
        executor.shutdown();
        for (ScheduledExecutorService thread : List.of(settler, executor)) {
            try {
                if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("event=scheduler_stop_timeout waited_s=30");
                    thread.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                thread.shutdownNow();
            }
        }
    }
}
