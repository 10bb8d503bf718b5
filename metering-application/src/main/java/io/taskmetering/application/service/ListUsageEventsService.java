package io.taskmetering.application.service;

import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.UsageEventQuery;
import io.taskmetering.application.model.UsageEventRecord;
import io.taskmetering.application.port.in.ListUsageEventsUseCase;
import io.taskmetering.application.port.out.UsageEventOutboxPort;

public final class ListUsageEventsService implements ListUsageEventsUseCase {
    private final UsageEventOutboxPort outbox;

    public ListUsageEventsService(UsageEventOutboxPort outbox) {
        this.outbox = outbox;
    }

    @Override
    public Page<UsageEventRecord> listUsageEvents(UsageEventQuery query) {
        return outbox.findUsageEvents(query);
    }
}
