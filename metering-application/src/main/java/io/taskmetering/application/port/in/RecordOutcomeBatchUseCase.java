package io.taskmetering.application.port.in;

import java.util.List;

public interface RecordOutcomeBatchUseCase {
    /** One result per outcome, in request order; an invalid item is refused without blocking the others. */
    List<OutcomeResult> recordBatch(RecordOutcomeBatchCommand command);
}
