package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.usage.UsageRecord;

public record RecordUsageCommand(UsageRecord record) {
    public RecordUsageCommand {
        Require.present("body", record);
    }
}
