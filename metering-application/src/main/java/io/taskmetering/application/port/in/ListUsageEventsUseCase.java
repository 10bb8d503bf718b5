package io.taskmetering.application.port.in;

import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.UsageEventQuery;
import io.taskmetering.application.model.UsageEventRecord;

public interface ListUsageEventsUseCase {
    Page<UsageEventRecord> listUsageEvents(UsageEventQuery query);
}
