package io.taskmetering.application.port.out;

import io.taskmetering.application.model.LeasedUsageEvent;
import io.taskmetering.domain.billing.UsageEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Claims are leases, so several service instances on one database never send the same hour at once, and a crashed
 * instance's claims are picked up again once the lease expires.
 */
public interface ClaimUsageEventsPort {
    /**
     * Claims up to {@code limit} PENDING events that are unclaimed or whose lease expired, oldest hour first, leasing
     * them to {@code claimer} until {@code now + lease} ({@code FOR UPDATE SKIP LOCKED} or an equivalent).
     */
    List<UsageEvent> claimDueUsageEvents(int limit, Instant now, Duration lease, String claimer);

    /**
     * Up to {@code limit} PENDING events another claimer holds a live lease on at {@code now}, oldest hour first: the
     * hours a run of {@code claimer} cannot send because they are in flight elsewhere.
     */
    List<LeasedUsageEvent> leasedElsewhere(int limit, Instant now, String claimer);
}
