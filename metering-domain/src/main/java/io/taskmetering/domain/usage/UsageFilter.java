package io.taskmetering.domain.usage;

import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.TaskId;
import java.time.Instant;

/**
 * The filters of the {@code /usage} queries; a null field does not filter. The period is half-open,
 * {@code start <= timestamp < end}, so consecutive periods never count a record twice. Bounds are compared at
 * full precision.
 */
public record UsageFilter(AgentId agentId, ConsumerId consumerId, TaskId taskId, Instant start, Instant end) {
    private static final UsageFilter ALL = new UsageFilter(null, null, null, null, null);

    public UsageFilter {
        if (start != null && end != null && start.isAfter(end)) {
            throw new InvalidValueException("start", "must not be after end");
        }
    }

    /** Matches every record. */
    public static UsageFilter all() {
        return ALL;
    }

    public boolean matches(UsageRecord record) {
        return (agentId == null || agentId.equals(record.agentId()))
                && (consumerId == null || consumerId.equals(record.consumerId()))
                && (taskId == null || taskId.equals(record.taskId()))
                && (start == null || !record.timestamp().isBefore(start))
                && (end == null || record.timestamp().isBefore(end));
    }

    public UsageFilter withAgent(AgentId agentId) {
        return new UsageFilter(agentId, consumerId, taskId, start, end);
    }

    /** Narrows the filter to one consumer, e.g. the authenticated caller. */
    public UsageFilter withConsumer(ConsumerId consumerId) {
        return new UsageFilter(agentId, consumerId, taskId, start, end);
    }

    public UsageFilter withTask(TaskId taskId) {
        return new UsageFilter(agentId, consumerId, taskId, start, end);
    }

    /** Sets both bounds at once, so moving a window never passes through an inverted one. */
    public UsageFilter withPeriod(Instant start, Instant end) {
        return new UsageFilter(agentId, consumerId, taskId, start, end);
    }
}
