package io.taskmetering.adapter.persistence;

import java.time.Clock;

class AnomalyAndPurgeH2Test extends AnomalyAndPurgeContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.h2(), clock);
    }
}
