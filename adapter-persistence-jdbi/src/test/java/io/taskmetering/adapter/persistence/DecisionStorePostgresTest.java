package io.taskmetering.adapter.persistence;

import java.time.Clock;

class DecisionStorePostgresTest extends DecisionStoreContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.postgres(), clock);
    }
}
