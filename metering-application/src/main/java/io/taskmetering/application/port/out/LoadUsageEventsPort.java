package io.taskmetering.application.port.out;

import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.SubmissionAttempt;
import io.taskmetering.application.model.UsageEventQuery;
import io.taskmetering.application.model.UsageEventRecord;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.UsageEventStatus;

import java.util.List;
import java.util.Optional;

/** Reads usage events and their submission attempts. */
public interface LoadUsageEventsPort {
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
