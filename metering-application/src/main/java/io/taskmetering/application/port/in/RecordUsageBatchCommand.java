package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.usage.UsageRecord;

import java.util.List;

public record RecordUsageBatchCommand(List<UsageRecord> records) {
    public static final int MAX_SIZE = 1000;

    public RecordUsageBatchCommand {
        if (records == null || records.isEmpty()) {
            throw new InvalidValueException("events", "must hold at least one record");
        }
        if (records.size() > MAX_SIZE) {
            throw new InvalidValueException("events", "must hold at most " + MAX_SIZE + " records");
        }
        records = List.copyOf(records);
    }
}
