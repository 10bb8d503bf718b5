package io.taskmetering.adapter.persistence;

import java.time.Clock;

class ContractStorePostgresTest extends ContractStoreContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.postgres(), clock);
    }
}
