package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.Require;

/** Evaluate one outcome and charge it if billable. */
public record RecordOutcomeCommand(OutcomeReport report) {
    public RecordOutcomeCommand {
        Require.present("body", report);
    }
}
