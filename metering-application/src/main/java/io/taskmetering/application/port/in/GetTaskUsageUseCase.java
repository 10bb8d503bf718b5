package io.taskmetering.application.port.in;

import io.taskmetering.domain.usage.UsageRecord;

import java.util.List;

public interface GetTaskUsageUseCase {
    List<UsageRecord> taskUsage(TaskUsageQuery query);
}
