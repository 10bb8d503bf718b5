package io.taskmetering.application.service;

import io.taskmetering.application.model.DecisionKind;
import io.taskmetering.application.port.in.OutcomeResult;
import io.taskmetering.application.port.in.RecordOutcomeCommand;
import io.taskmetering.application.port.in.RecordOutcomeUseCase;
import io.taskmetering.application.port.out.IdGenerator;
import io.taskmetering.application.port.out.OutcomePorts;

import java.time.Clock;
import java.util.List;

/** Evaluates one outcome and charges it if billable; a replayed correlation id returns the stored result. */
public final class RecordOutcomeService implements RecordOutcomeUseCase {
    private final OutcomeRecorder recorder;

    public RecordOutcomeService(OutcomePorts ports, IdGenerator ids, Clock clock, BillingPolicy policy) {
        this.recorder = new OutcomeRecorder(ports, ids, clock, policy);
    }

    @Override
    public OutcomeResult record(RecordOutcomeCommand command) {
        return recorder.record(List.of(command.report()), DecisionKind.METERED).get(0);
    }
}
