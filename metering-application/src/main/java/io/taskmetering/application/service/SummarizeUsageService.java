package io.taskmetering.application.service;

import io.taskmetering.application.model.UsageRecordQuery;
import io.taskmetering.application.port.in.SummarizeUsageUseCase;
import io.taskmetering.application.port.out.UsageRecordPort;
import io.taskmetering.domain.usage.UsageTotals;

public final class SummarizeUsageService implements SummarizeUsageUseCase {
    private final UsageRecordPort usageRecords;

    public SummarizeUsageService(UsageRecordPort usageRecords) {
        this.usageRecords = usageRecords;
    }

    @Override
    public UsageTotals summarize(UsageRecordQuery query) {
        return usageRecords.usageTotals(query);
    }
}
