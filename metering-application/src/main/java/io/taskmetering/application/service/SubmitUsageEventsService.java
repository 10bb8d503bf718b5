package io.taskmetering.application.service;

import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.application.port.in.SubmitUsageEventsUseCase.SubmissionRunResult;
import io.taskmetering.application.port.in.SubmitUsageEventsCommand;
import io.taskmetering.application.port.in.SubmitUsageEventsUseCase;
import io.taskmetering.application.port.out.AnomalyPort;
import io.taskmetering.application.port.out.ClaimUsageEventsPort;
import io.taskmetering.application.model.LeasedUsageEvent;
import io.taskmetering.application.port.out.IdGenerator;
import io.taskmetering.application.port.out.MarketplaceSubmissionPort;
import io.taskmetering.application.port.out.InvoiceHourPort;
import io.taskmetering.application.port.out.RecordSubmissionsPort;
import io.taskmetering.application.port.out.UnitOfWork;
import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.billing.AnomalyType;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.UsageEvent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One submission run: claim due events (short transaction), send them with no transaction open, then record each
 * answer and invoice the accepted hours (one transaction per event). Hours past their 24 h deadline are not sent but
 * given up ({@link SubmissionStatus#DEADLINE_PASSED}) with an anomaly, never dropped silently. A result without a
 * request body (nothing sent in this run) keeps the body an earlier attempt stored.
 */
public final class SubmitUsageEventsService implements SubmitUsageEventsUseCase {
    /** The Marketplace accepts an hour for 24 hours after its start. */
    public static final Duration MARKETPLACE_WINDOW = Duration.ofHours(24);

    private final UnitOfWork unitOfWork;
    private final ClaimUsageEventsPort claims;
    private final RecordSubmissionsPort submissions;
    private final InvoiceHourPort invoiceHour;
    private final AnomalyPort anomalies;
    private final MarketplaceSubmissionPort marketplace;
    private final IdGenerator ids;
    private final Clock clock;
    private final BillingPolicy policy;
    private final String claimer;
    private final Duration lease;
    private final Duration deadlineMargin;

    /**
     * @param claimer        this instance's name in claims (unique per running instance)
     * @param lease          how long a claim holds before another instance may take the event
     * @param deadlineMargin how long before {@code hour + 24h} to stop trying
     */
    public SubmitUsageEventsService(UnitOfWork unitOfWork, ClaimUsageEventsPort claims,
                                    RecordSubmissionsPort submissions, InvoiceHourPort invoiceHour, AnomalyPort anomalies,
                                    MarketplaceSubmissionPort marketplace, IdGenerator ids,
                                    Clock clock, BillingPolicy policy, String claimer, Duration lease,
                                    Duration deadlineMargin) {
        this.unitOfWork = unitOfWork;
        this.claims = claims;
        this.submissions = submissions;
        this.invoiceHour = invoiceHour;
        this.anomalies = anomalies;
        this.marketplace = marketplace;
        this.ids = ids;
        this.clock = clock;
        this.policy = policy;
        this.claimer = claimer;
        this.lease = lease;
        this.deadlineMargin = deadlineMargin;
    }

    @Override
    public SubmissionRunResult submitDue(SubmitUsageEventsCommand command) {
        Instant now = clock.instant();
        Claims run = unitOfWork.inTransaction(() -> new Claims(
                claims.claimDueUsageEvents(command.maxEvents(), now, lease, claimer),
                claims.leasedElsewhere(command.maxEvents(), now, claimer)));
        List<UsageEvent> claimed = run.claimed();
        List<LeasedUsageEvent> inFlightElsewhere = run.leasedElsewhere();
        if (claimed.isEmpty()) {
            return new SubmissionRunResult(List.of(), 0, inFlightElsewhere);
        }
        List<UsageEvent> sendable = new ArrayList<>();
        List<SubmissionResult> results = new ArrayList<>();
        for (UsageEvent event : claimed) {
            if (pastDeadline(event, now)) {
                results.add(SubmissionResult.deadlinePassed(event.key(), null,
                        "not accepted before effectiveStartTime + 24h - " + deadlineMargin, List.of()));
            } else {
                sendable.add(event);
            }
        }
        if (!sendable.isEmpty()) {
            results.addAll(matchByKey(sendable, marketplace.submit(sendable)));
        }
        long invoiced = 0;
        for (SubmissionResult result : results) {
            invoiced += unitOfWork.inTransaction(() -> record(result));
        }
        return new SubmissionRunResult(results, invoiced, inFlightElsewhere);
    }

    /** What one claim transaction took, and what it saw other workers holding. */
    private record Claims(List<UsageEvent> claimed, List<LeasedUsageEvent> leasedElsewhere) {
    }

    private boolean pastDeadline(UsageEvent event, Instant now) {
        return !now.isBefore(event.key().hour().start().plus(MARKETPLACE_WINDOW).minus(deadlineMargin));
    }

    /** One result per sent event, by key; an event the adapter said nothing about stays pending for the next run. */
    private static List<SubmissionResult> matchByKey(List<UsageEvent> sent, List<SubmissionResult> answers) {
        Map<BucketKey, SubmissionResult> byKey = new HashMap<>();
        answers.forEach(answer -> byKey.put(answer.key(), answer));
        List<SubmissionResult> matched = new ArrayList<>(sent.size());
        for (UsageEvent event : sent) {
            SubmissionResult answer = byKey.get(event.key());
            matched.add(answer != null ? answer : new SubmissionResult(event.key(), SubmissionStatus.RETRY_LATER,
                    null, null, null, null, "no_result", "the Marketplace adapter returned no result", List.of()));
        }
        return matched;
    }

    private long record(SubmissionResult result) {
        Instant at = clock.instant();
        submissions.recordSubmission(result, claimer, at);
        if (result.status().eventStatus().invoiced()) {
            return invoiceHour.invoiceHour(result.key(), at, policy.ruleVersion());
        }
        AnomalyType type = switch (result.status()) {
            case DISCREPANCY -> AnomalyType.SUBMISSION_DISCREPANCY;
            case EXPIRED -> AnomalyType.SUBMISSION_EXPIRED;
            case DEADLINE_PASSED -> AnomalyType.SUBMISSION_DEADLINE;
            case REJECTED -> AnomalyType.SUBMISSION_REJECTED;
            case UNAUTHORIZED -> AnomalyType.SUBMISSION_UNAUTHORIZED;
            default -> null;
        };
        if (type != null) {
            anomalies.saveAnomalies(List.of(Anomaly.forHour(ids.newId(), type, result.key(), describe(result), at)));
        }
        return 0;
    }

    private static String describe(SubmissionResult result) {
        StringBuilder detail = new StringBuilder(result.status().label());
        if (result.errorCode() != null) {
            detail.append(" code=").append(result.errorCode());
        }
        if (result.marketplaceQuantity() != null) {
            detail.append(" marketplace_quantity=").append(result.marketplaceQuantity());
        }
        if (result.errorMessage() != null) {
            detail.append(": ").append(result.errorMessage());
        }
        return detail.toString();
    }
}
