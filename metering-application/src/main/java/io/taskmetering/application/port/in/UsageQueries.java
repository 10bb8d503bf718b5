package io.taskmetering.application.port.in;

import io.taskmetering.application.model.UsagePage;
import io.taskmetering.application.model.UsageRecordQuery;
import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.usage.UsageAggregate;
import io.taskmetering.domain.usage.UsageGroupBy;
import io.taskmetering.domain.usage.UsageRecord;
import io.taskmetering.domain.usage.UsageTotals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** The usage records agents reported (visibility only, never billed). */
public interface UsageQueries {
    UsagePage listUsage(UsageRecordQuery query);

    /** The usage records of one task that the caller may see ({@code allowedConsumers} empty = all). */
    List<UsageRecord> taskUsage(TaskId taskId, Set<ConsumerId> allowedConsumers);

    /** Usage grouped by agent, consumer, hour, day or ISO week (also serves the agents and consumers listings). */
    List<UsageAggregate> aggregate(UsageRecordQuery query, UsageGroupBy groupBy);

    UsageTotals summarize(UsageRecordQuery query);

    /** Every matching usage record, streamed to {@code sink} in timestamp order with constant memory. */
    void export(UsageRecordQuery query, Consumer<UsageRecord> sink);

    Stats stats();

    /** Size of the usage store and its retention TTL; {@code oldestTimestamp} null when empty. */
    record Stats(long totalRecords, Instant oldestTimestamp, Duration retentionTtl) {
    }
}
