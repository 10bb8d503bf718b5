package io.taskmetering.application.port.out;

import io.taskmetering.application.model.ChargeQuery;
import io.taskmetering.application.model.Page;

import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.common.CorrelationId;

import java.util.Optional;

public interface LoadChargesPort {
    Optional<Charge> findCharge(CorrelationId correlationId);

    Page<Charge> findCharges(ChargeQuery query);
}
