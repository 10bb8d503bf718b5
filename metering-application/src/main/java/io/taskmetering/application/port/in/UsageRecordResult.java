package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.TaskId;

/** A usage record was stored, or was already there (same consumer, task and timestamp): {@code duplicate}. */
public record UsageRecordResult(TaskId taskId, boolean duplicate) {
}
