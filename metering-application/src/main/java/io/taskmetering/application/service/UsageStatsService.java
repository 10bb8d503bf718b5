package io.taskmetering.application.service;

import io.taskmetering.application.model.UsageStats;
import io.taskmetering.application.port.in.UsageStatsResult;
import io.taskmetering.application.port.in.UsageStatsUseCase;
import io.taskmetering.application.port.out.UsageRecordPort;
import io.taskmetering.domain.usage.RetentionPolicy;

public final class UsageStatsService implements UsageStatsUseCase {
    private final UsageRecordPort usageRecords;
    private final RetentionPolicy retention;

    public UsageStatsService(UsageRecordPort usageRecords, RetentionPolicy retention) {
        this.usageRecords = usageRecords;
        this.retention = retention;
    }

    @Override
    public UsageStatsResult stats() {
        UsageStats stats = usageRecords.usageStats();
        return new UsageStatsResult(stats.totalEvents(), stats.oldestTimestamp(), retention.ttl());
    }
}
