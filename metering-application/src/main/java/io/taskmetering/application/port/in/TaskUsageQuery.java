package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.common.TaskId;

import java.util.Set;

/** The usage records of one task that the caller may see ({@code allowedConsumers} empty = all). */
public record TaskUsageQuery(TaskId taskId, Set<ConsumerId> allowedConsumers) {
    public TaskUsageQuery {
        Require.present("task_id", taskId);
        allowedConsumers = Set.copyOf(allowedConsumers == null ? Set.of() : allowedConsumers);
    }
}
