package io.taskmetering.application.service;

import io.taskmetering.application.port.in.AggregateUsageQuery;
import io.taskmetering.application.port.in.AggregateUsageUseCase;
import io.taskmetering.application.port.out.UsageRecordPort;
import io.taskmetering.domain.usage.UsageAggregate;

import java.util.List;

public final class AggregateUsageService implements AggregateUsageUseCase {
    private final UsageRecordPort usageRecords;

    public AggregateUsageService(UsageRecordPort usageRecords) {
        this.usageRecords = usageRecords;
    }

    @Override
    public List<UsageAggregate> aggregate(AggregateUsageQuery query) {
        return usageRecords.aggregateUsage(query.query(), query.groupBy());
    }
}
