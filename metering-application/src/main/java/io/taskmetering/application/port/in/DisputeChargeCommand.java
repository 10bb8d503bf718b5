package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Require;

/** A customer challenges a charge. */
public record DisputeChargeCommand(CorrelationId correlationId, String actor, String reason) {
    public DisputeChargeCommand {
        Require.present("correlation_id", correlationId);
        Require.id("actor", actor);
        Require.text("reason", reason, 2000);
    }
}
