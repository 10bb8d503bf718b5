package io.taskmetering.adapter.persistence;

import java.time.Clock;

class ChargeStorePostgresTest extends ChargeStoreContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.postgres(), clock);
    }
}
