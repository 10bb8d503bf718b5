package io.taskmetering.application.port.in;

import io.taskmetering.application.model.AnomalyQuery;
import io.taskmetering.application.model.Page;
import io.taskmetering.domain.billing.Anomaly;

public interface ListAnomaliesUseCase {
    Page<Anomaly> listAnomalies(AnomalyQuery query);
}
