package io.taskmetering.adapter.persistence;

import java.time.Clock;

class ShadowStoreH2Test extends ShadowStoreContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.h2(), clock);
    }
}
