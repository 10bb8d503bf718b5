package io.taskmetering.application.port.out;

import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.UsagePage;
import io.taskmetering.application.model.UsageRecordQuery;

import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.usage.UsageAggregate;
import io.taskmetering.domain.usage.UsageGroupBy;
import io.taskmetering.domain.usage.UsageRecord;
import io.taskmetering.domain.usage.UsageTotals;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.time.Instant;

/** Usage metrics (visibility, not billing), idempotent per (consumer, task, timestamp); aggregates computed in storage. */
public interface UsageRecordPort {
    List<InsertResult> insertUsageRecords(List<UsageRecord> records);

    /** One page and the total number of matching records. */
    UsagePage findUsageRecords(UsageRecordQuery query);

    List<UsageRecord> findUsageRecordsOfTask(TaskId taskId, Set<ConsumerId> allowedConsumers);

    /** Groups ordered by group key; limit/offset of the query ignored. */
    List<UsageAggregate> aggregateUsage(UsageRecordQuery query, UsageGroupBy groupBy);

    UsageTotals usageTotals(UsageRecordQuery query);

    /** Streams every matching record in timestamp order to {@code sink} with constant memory (a cursor, never a list). */
    void streamUsageRecords(UsageRecordQuery query, Consumer<UsageRecord> sink);

    UsageStats usageStats();

    /** Size of the usage store; {@code oldestTimestamp} null when empty. */
    record UsageStats(long totalRecords, Instant oldestTimestamp) {
    }
}
