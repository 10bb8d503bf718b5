package io.taskmetering.adapter.persistence;

import java.time.Clock;

class ShadowStorePostgresTest extends ShadowStoreContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.postgres(), clock);
    }
}
