package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.InvalidValueException;

import java.util.List;

/** Many outcomes recorded in one transaction (the high-throughput path). */
public record RecordOutcomeBatchCommand(List<RecordOutcomeCommand> outcomes) {
    public static final int MAX_SIZE = 1000;

    public RecordOutcomeBatchCommand {
        if (outcomes == null || outcomes.isEmpty()) {
            throw new InvalidValueException("outcomes", "must hold at least one outcome");
        }
        if (outcomes.size() > MAX_SIZE) {
            throw new InvalidValueException("outcomes", "must hold at most " + MAX_SIZE + " outcomes");
        }
        outcomes = List.copyOf(outcomes);
    }
}
