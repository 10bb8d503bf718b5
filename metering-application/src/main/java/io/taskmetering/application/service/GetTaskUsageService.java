package io.taskmetering.application.service;

import io.taskmetering.application.port.in.GetTaskUsageUseCase;
import io.taskmetering.application.port.in.TaskUsageQuery;
import io.taskmetering.application.port.out.UsageRecordPort;
import io.taskmetering.domain.usage.UsageRecord;

import java.util.List;

public final class GetTaskUsageService implements GetTaskUsageUseCase {
    private final UsageRecordPort usageRecords;

    public GetTaskUsageService(UsageRecordPort usageRecords) {
        this.usageRecords = usageRecords;
    }

    @Override
    public List<UsageRecord> taskUsage(TaskUsageQuery query) {
        return usageRecords.findUsageRecordsOfTask(query.taskId(), query.allowedConsumers());
    }
}
