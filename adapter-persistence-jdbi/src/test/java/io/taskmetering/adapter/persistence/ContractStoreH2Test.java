package io.taskmetering.adapter.persistence;

import java.time.Clock;

class ContractStoreH2Test extends ContractStoreContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.h2(), clock);
    }
}
