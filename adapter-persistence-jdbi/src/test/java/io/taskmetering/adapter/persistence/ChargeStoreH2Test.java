package io.taskmetering.adapter.persistence;

import java.time.Clock;

class ChargeStoreH2Test extends ChargeStoreContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.h2(), clock);
    }
}
