package io.taskmetering.application.service;

import io.taskmetering.application.model.UsagePage;
import io.taskmetering.application.model.UsageRecordQuery;
import io.taskmetering.application.port.in.ListUsageUseCase;
import io.taskmetering.application.port.out.UsageRecordPort;

public final class ListUsageService implements ListUsageUseCase {
    private final UsageRecordPort usageRecords;

    public ListUsageService(UsageRecordPort usageRecords) {
        this.usageRecords = usageRecords;
    }

    @Override
    public UsagePage listUsage(UsageRecordQuery query) {
        return usageRecords.findUsageRecords(query);
    }
}
