package io.taskmetering.application.port.in;

import io.taskmetering.application.model.UsagePage;
import io.taskmetering.application.model.UsageRecordQuery;

public interface ListUsageUseCase {
    UsagePage listUsage(UsageRecordQuery query);
}
