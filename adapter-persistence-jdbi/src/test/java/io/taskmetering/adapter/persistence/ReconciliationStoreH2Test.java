package io.taskmetering.adapter.persistence;

import java.time.Clock;

class ReconciliationStoreH2Test extends ReconciliationStoreContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.h2(), clock);
    }
}
