package io.taskmetering.adapter.persistence;

import java.time.Clock;

class InsightStoreH2Test extends InsightStoreContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.h2(), clock);
    }
}
