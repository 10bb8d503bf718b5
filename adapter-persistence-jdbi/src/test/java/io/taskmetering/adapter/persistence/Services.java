package io.taskmetering.adapter.persistence;

import io.taskmetering.application.port.in.CloseHoursUseCase;
import io.taskmetering.application.port.in.RecordOutcomeBatchUseCase;
import io.taskmetering.application.port.in.RecordOutcomeUseCase;
import io.taskmetering.application.port.out.IdGenerator;
import io.taskmetering.application.port.out.StoragePorts;
import io.taskmetering.application.service.BillingPolicy;
import io.taskmetering.application.service.MeteringUseCases;
import io.taskmetering.domain.usage.RetentionPolicy;
import io.taskmetering.domain.trace.TraceMapping;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/** The application's use cases on a persistence module, from the application's one wiring, as bootstrap builds them. */
final class Services {
    static final IdGenerator IDS = () -> UUID.randomUUID().toString();
    static final BillingPolicy POLICY = BillingPolicy.defaults(Fixtures.PLAN);
    private static final MeteringUseCases.Settings SETTINGS = new MeteringUseCases.Settings("persistence-test",
            Duration.ofMinutes(5), Duration.ofMinutes(30), RetentionPolicy.days(30),
            TraceMapping.defaults());

    private Services() {
    }

    /** Nothing here submits to the Marketplace. */
    static MeteringUseCases wire(StoragePorts ports, Clock clock) {
        return new MeteringUseCases(ports, events -> {
            throw new UnsupportedOperationException("no Marketplace in persistence tests");
        }, Optional.empty(), clock, IDS, POLICY, SETTINGS);
    }

    static RecordOutcomeBatchUseCase batch(PersistenceModule m, Clock clock) {
        return wire(m.ports(), clock).recordOutcomeBatch();
    }

    /** Single outcomes through the group commit, as the service records them. */
    static RecordOutcomeUseCase single(PersistenceModule m, Clock clock) {
        return wire(m.ports(), clock).recordOutcome();
    }

    static CloseHoursUseCase close(PersistenceModule m, Clock clock) {
        return wire(m.ports(), clock).closeHours();
    }
}
