package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Require;

/** A reviewer approves (bill it) or rejects (waive it) a held charge. */
public record ReviewChargeCommand(CorrelationId correlationId, Verdict verdict, String actor, String note) {
    public enum Verdict { APPROVE, REJECT }

    public ReviewChargeCommand {
        Require.present("correlation_id", correlationId);
        Require.present("verdict", verdict);
        Require.id("actor", actor);
        if (note != null) {
            Require.text("note", note, 2000);
        }
    }
}
