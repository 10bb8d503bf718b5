package io.taskmetering.adapter.persistence;

import java.time.Clock;

class ReconciliationStorePostgresTest extends ReconciliationStoreContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.postgres(), clock);
    }
}
