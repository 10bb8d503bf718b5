package io.taskmetering.adapter.persistence;

import java.time.Clock;

class DecisionStoreH2Test extends DecisionStoreContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.h2(), clock);
    }
}
