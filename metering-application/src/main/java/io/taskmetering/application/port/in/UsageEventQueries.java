package io.taskmetering.application.port.in;

import io.taskmetering.application.model.Page;
import io.taskmetering.application.model.UsageEventQuery;
import io.taskmetering.application.model.UsageEventRecord;

/** The usage events sent (or to be sent) to the Marketplace, and what is still waiting. */
public interface UsageEventQueries {
    Page<UsageEventRecord> listUsageEvents(UsageEventQuery query);

    /** What is waiting: for the Marketplace, and for a person. */
    Backlog backlog();
}
