package io.taskmetering.adapter.persistence;

import java.time.Clock;

class InsightStorePostgresTest extends InsightStoreContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.postgres(), clock);
    }
}
