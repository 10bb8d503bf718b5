package io.taskmetering.adapter.persistence;

import java.time.Clock;

class AnomalyAndPurgePostgresTest extends AnomalyAndPurgeContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.postgres(), clock);
    }
}
