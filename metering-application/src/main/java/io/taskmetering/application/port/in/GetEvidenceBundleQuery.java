package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Require;

public record GetEvidenceBundleQuery(CorrelationId correlationId) {
    public GetEvidenceBundleQuery {
        Require.present("correlation_id", correlationId);
    }
}
