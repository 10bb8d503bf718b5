package io.taskmetering.adapter.persistence;

import io.taskmetering.application.port.out.IdGenerator;
import io.taskmetering.application.service.BillingPolicy;
import io.taskmetering.application.service.CloseHoursService;
import io.taskmetering.application.service.RecordOutcomeBatchService;
import io.taskmetering.application.service.RecordOutcomeService;

import java.time.Clock;
import java.util.UUID;

/** The application's services wired on a persistence module, as bootstrap wires them. */
final class Services {
    static final IdGenerator IDS = () -> UUID.randomUUID().toString();
    static final BillingPolicy POLICY = BillingPolicy.defaults(Fixtures.PLAN);

    private Services() {
    }

    static RecordOutcomeBatchService batch(PersistenceModule m, Clock clock) {
        return new RecordOutcomeBatchService(m.outcomePorts(), IDS, clock, POLICY);
    }

    static RecordOutcomeService single(PersistenceModule m, Clock clock) {
        return new RecordOutcomeService(m.outcomePorts(), IDS, clock, POLICY);
    }

    static CloseHoursService close(PersistenceModule m, Clock clock) {
        return new CloseHoursService(m.unitOfWork(), m.hourBuckets(), m.usageEventOutbox(), clock, POLICY);
    }
}
