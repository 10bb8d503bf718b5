package io.taskmetering.application.service;

import io.taskmetering.application.model.AnomalyQuery;
import io.taskmetering.application.model.Page;
import io.taskmetering.application.port.in.ListAnomaliesUseCase;
import io.taskmetering.application.port.out.AnomalyPort;
import io.taskmetering.domain.billing.Anomaly;

public final class ListAnomaliesService implements ListAnomaliesUseCase {
    private final AnomalyPort anomalies;

    public ListAnomaliesService(AnomalyPort anomalies) {
        this.anomalies = anomalies;
    }

    @Override
    public Page<Anomaly> listAnomalies(AnomalyQuery query) {
        return anomalies.findAnomalies(query);
    }
}
