package io.taskmetering.domain.meter;

import io.taskmetering.domain.charge.RecordingOutcome;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.Decision;

/** The decision about one outcome and what recording it did (not billable, recorded, duplicate, held). */
public record MeteredOutcome(CorrelationId correlationId, TaskId taskId, Decision decision, RecordingOutcome recording) {
}
