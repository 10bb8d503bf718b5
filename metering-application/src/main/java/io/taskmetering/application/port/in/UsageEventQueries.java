package io.taskmetering.application.port.in;

import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.UsageEventQuery;
import io.taskmetering.application.model.UsageEventRecord;

/** The usage events sent (or to be sent) to the Marketplace, and what is still waiting. */
public interface UsageEventQueries {
    Page<UsageEventRecord> listUsageEvents(UsageEventQuery query);

    /** What is waiting: for the Marketplace, and for a person. */
    Backlog backlog();

    /**
     * What is waiting right now: usage events not yet settled with the Marketplace (pending or claimed), charges held
     * for review, charges under dispute. Served as gauges, so an operator can alert on a queue that only grows.
     */
    record Backlog(long usageEventsPending, long chargesPendingReview, long chargesDisputed) {
        public Backlog {
            if (usageEventsPending < 0 || chargesPendingReview < 0 || chargesDisputed < 0) {
                throw new IllegalArgumentException("backlog counts cannot be negative");
            }
        }
    }
}
