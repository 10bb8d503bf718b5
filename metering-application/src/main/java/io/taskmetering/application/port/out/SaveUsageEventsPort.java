package io.taskmetering.application.port.out;

import io.taskmetering.application.model.InsertResult;
import io.taskmetering.domain.billing.UsageEvent;

import java.time.Instant;
import java.util.List;

/** Writes closed hours' usage events to the outbox, from which they are claimed and sent outside any transaction. */
public interface SaveUsageEventsPort {
    /** Writes events as PENDING unless their key exists; results in input order. */
    List<InsertResult> insertUsageEvents(List<UsageEvent> events, Instant at);
}
