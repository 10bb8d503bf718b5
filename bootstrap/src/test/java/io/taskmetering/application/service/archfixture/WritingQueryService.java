package io.taskmetering.application.service.archfixture;

import io.taskmetering.application.port.out.UnitOfWork;
import io.taskmetering.application.port.out.UsageRecordPort;
import io.taskmetering.application.service.RecordUsageService;

/** Breaks the query-service and one-wiring rules on purpose: it opens transactions and builds a service itself. */
public final class WritingQueryService {
    private final RecordUsageService recordUsage;

    public WritingQueryService(UnitOfWork unitOfWork, UsageRecordPort usageRecords) {
        this.recordUsage = new RecordUsageService(unitOfWork, usageRecords);
    }

    public RecordUsageService recordUsage() {
        return recordUsage;
    }
}
