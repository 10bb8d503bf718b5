package io.taskmetering.application.port.in;

import io.taskmetering.application.model.UsageRecordQuery;
import io.taskmetering.domain.usage.UsageTotals;

public interface SummarizeUsageUseCase {
    UsageTotals summarize(UsageRecordQuery query);
}
