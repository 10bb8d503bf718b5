package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.Require;

/** Evaluate one outcome and keep the decision for audit; nothing is charged. */
public record EvaluateOutcomeCommand(OutcomeReport report) {
    public EvaluateOutcomeCommand {
        Require.present("body", report);
    }
}
