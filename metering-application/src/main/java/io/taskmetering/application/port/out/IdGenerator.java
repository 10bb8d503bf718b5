package io.taskmetering.application.port.out;

import io.taskmetering.domain.common.CorrelationId;

/** New unique ids (correlation ids for callers that send none, anomaly ids). */
public interface IdGenerator {
    String newId();

    default CorrelationId newCorrelationId() {
        return new CorrelationId(newId());
    }
}
