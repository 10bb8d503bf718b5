package io.taskmetering.application.port.out;

import io.taskmetering.application.model.AnomalyQuery;
import io.taskmetering.application.model.Page;

import io.taskmetering.domain.billing.Anomaly;

import java.util.List;

/** Anomalies are stored and queryable; nothing that needs a person is only logged. */
public interface AnomalyPort {
    void saveAnomalies(List<Anomaly> anomalies);

    Page<Anomaly> findAnomalies(AnomalyQuery query);
}
