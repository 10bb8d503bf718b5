package io.taskmetering.application.service;

import io.taskmetering.application.model.DecisionKind;
import io.taskmetering.application.port.in.OutcomeResult;
import io.taskmetering.application.port.in.RecordOutcomeBatchCommand;
import io.taskmetering.application.port.in.RecordOutcomeBatchUseCase;
import io.taskmetering.application.port.in.RecordOutcomeCommand;
import io.taskmetering.application.port.out.IdGenerator;
import io.taskmetering.application.port.out.OutcomePorts;

import java.time.Clock;
import java.util.List;

/** Records many outcomes in one transaction; an invalid item is reported and never blocks the others. */
public final class RecordOutcomeBatchService implements RecordOutcomeBatchUseCase {
    private final OutcomeRecorder recorder;

    public RecordOutcomeBatchService(OutcomePorts ports, IdGenerator ids, Clock clock, BillingPolicy policy) {
        this.recorder = new OutcomeRecorder(ports, ids, clock, policy);
    }

    @Override
    public List<OutcomeResult> recordBatch(RecordOutcomeBatchCommand command) {
        return recorder.record(command.outcomes().stream().map(RecordOutcomeCommand::report).toList(),
                DecisionKind.METERED);
    }
}
