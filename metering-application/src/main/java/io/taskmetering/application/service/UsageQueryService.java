package io.taskmetering.application.service;

import io.taskmetering.application.model.UsagePage;
import io.taskmetering.application.model.UsageRecordQuery;
import io.taskmetering.application.port.out.UsageRecordPort.UsageStats;
import io.taskmetering.application.port.in.UsageQueries;
import io.taskmetering.application.port.out.UsageRecordPort;
import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.usage.RetentionPolicy;
import io.taskmetering.domain.usage.UsageAggregate;
import io.taskmetering.domain.usage.UsageGroupBy;
import io.taskmetering.domain.usage.UsageRecord;
import io.taskmetering.domain.usage.UsageTotals;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/** Usage records read straight from storage; an export streams, so memory stays constant whatever its size. */
public final class UsageQueryService implements UsageQueries {
    private final UsageRecordPort usageRecords;
    private final RetentionPolicy retention;

    public UsageQueryService(UsageRecordPort usageRecords, RetentionPolicy retention) {
        this.usageRecords = usageRecords;
        this.retention = retention;
    }

    @Override
    public UsagePage listUsage(UsageRecordQuery query) {
        return usageRecords.findUsageRecords(query);
    }

    @Override
    public List<UsageRecord> taskUsage(TaskId taskId, Set<ConsumerId> allowedConsumers) {
        Objects.requireNonNull(taskId, "taskId");
        return usageRecords.findUsageRecordsOfTask(taskId, Set.copyOf(allowedConsumers));
    }

    @Override
    public List<UsageAggregate> aggregate(UsageRecordQuery query, UsageGroupBy groupBy) {
        Objects.requireNonNull(groupBy, "groupBy");
        return usageRecords.aggregateUsage(query, groupBy);
    }

    @Override
    public UsageTotals summarize(UsageRecordQuery query) {
        return usageRecords.usageTotals(query);
    }

    @Override
    public void export(UsageRecordQuery query, Consumer<UsageRecord> sink) {
        usageRecords.streamUsageRecords(query, sink);
    }

    @Override
    public Stats stats() {
        UsageStats stored = usageRecords.usageStats();
        return new Stats(stored.totalRecords(), stored.oldestTimestamp(), retention.ttl());
    }
}
