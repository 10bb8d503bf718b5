package io.taskmetering.application.port.out;

import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.SubmissionAttempt;
import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.UsageEventQuery;
import io.taskmetering.application.model.UsageEventRecord;

import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.billing.UsageEventStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The usage-event outbox: events are written when an hour closes, then claimed and sent outside any transaction.
 * Claims are leases, so several service instances on one database never send the same hour at once, and a crashed
 * instance's claims are picked up again once the lease expires.
 */
public interface UsageEventOutboxPort {
    /** Writes events as PENDING unless their key exists; results in input order. */
    List<InsertResult> insertUsageEvents(List<UsageEvent> events, Instant at);

    /**
     * Claims up to {@code limit} PENDING events that are unclaimed or whose lease expired, oldest hour first, leasing
     * them to {@code claimer} until {@code now + lease} ({@code FOR UPDATE SKIP LOCKED} or an equivalent).
     */
    List<UsageEvent> claimDueUsageEvents(int limit, Instant now, Duration lease, String claimer);

    /**
     * Stores one submission's end: the new status, Marketplace ids, every attempt; releases the claim. A result for an
     * event that is no longer claimed by {@code claimer} is still stored (the attempts happened) but never moves a
     * terminal status back.
     */
    void recordSubmission(SubmissionResult result, String claimer, Instant at);

    Optional<UsageEventRecord> findUsageEvent(BucketKey key);

    /**
     * Reads the usage event of an hour and locks it until the transaction ends: an acceptance (which updates the event
     * before it invoices the hour's charges) either committed before this read, and the read sees it, or waits for this
     * transaction. For a change that depends on whether the hour was invoiced.
     */
    Optional<UsageEventRecord> lockUsageEvent(BucketKey key);

    Page<UsageEventRecord> findUsageEvents(UsageEventQuery query);

    /** How many usage events have {@code status} now, across every subscription. */
    long countUsageEvents(UsageEventStatus status);

    /** Every attempt for one hour key, oldest first. */
    List<SubmissionAttempt> findAttempts(BucketKey key);
}
