package io.taskmetering.application.service;

import io.taskmetering.application.port.in.CloseHoursCommand;
import io.taskmetering.application.port.in.CloseHoursUseCase.CloseHoursResult;
import io.taskmetering.application.port.in.CloseHoursUseCase;
import io.taskmetering.application.port.out.HourBucketPort;
import io.taskmetering.application.port.out.UnitOfWork;
import io.taskmetering.application.port.out.SaveUsageEventsPort;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.HourBucket;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.common.PlanId;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Closes every hour past {@code end + grace}: locks its bucket, fixes its quantity and writes one usage event to the
 * outbox in the same transaction (none for quantity 0). Reads one counter per hour, however many charges it holds.
 */
public final class CloseHoursService implements CloseHoursUseCase {
    private final UnitOfWork unitOfWork;
    private final HourBucketPort buckets;
    private final SaveUsageEventsPort outbox;
    private final Clock clock;
    private final BillingPolicy policy;

    public CloseHoursService(UnitOfWork unitOfWork, HourBucketPort buckets, SaveUsageEventsPort outbox, Clock clock,
                             BillingPolicy policy) {
        this.unitOfWork = unitOfWork;
        this.buckets = buckets;
        this.outbox = outbox;
        this.clock = clock;
        this.policy = policy;
    }

    @Override
    public CloseHoursResult closeDueHours(CloseHoursCommand command) {
        Instant now = clock.instant();
        List<BucketKey> due = buckets.findOpenBucketsUpTo(policy.hours().newestClosedHour(now), command.maxBuckets());
        if (due.isEmpty()) {
            return new CloseHoursResult(List.of(), List.of());
        }
        return unitOfWork.inTransaction(() -> {
            TreeMap<BucketKey, PlanId> keys = new TreeMap<>();
            due.forEach(key -> keys.put(key, policy.defaultPlan()));
            Map<BucketKey, HourBucketPort.LockedBucket> locked = buckets.lockBuckets(keys);
            List<HourBucket> closed = new ArrayList<>();
            List<UsageEvent> events = new ArrayList<>();
            List<BucketKey> empty = new ArrayList<>();
            for (BucketKey key : keys.keySet()) {
                HourBucketPort.LockedBucket current = locked.get(key);
                if (current.bucket().closed()) {
                    continue; // another instance closed it first
                }
                HourBucket bucket = current.bucket().close();
                closed.add(bucket);
                UsageEvent.forBucket(bucket, current.planId()).ifPresentOrElse(events::add, () -> empty.add(key));
            }
            buckets.saveBuckets(closed);
            if (!events.isEmpty()) {
                outbox.insertUsageEvents(events, now);
            }
            return new CloseHoursResult(events, empty);
        });
    }
}
