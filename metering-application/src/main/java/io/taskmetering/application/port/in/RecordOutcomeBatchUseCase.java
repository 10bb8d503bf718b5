package io.taskmetering.application.port.in;

import java.util.List;

public interface RecordOutcomeBatchUseCase {
    List<BatchItemResult> recordBatch(RecordOutcomeBatchCommand command);
}
