package io.taskmetering.application.port.in;

import io.taskmetering.application.model.ChargeQuery;
import io.taskmetering.application.model.Page;
import io.taskmetering.domain.charge.Charge;

public interface ListChargesUseCase {
    Page<Charge> listCharges(ChargeQuery query);
}
