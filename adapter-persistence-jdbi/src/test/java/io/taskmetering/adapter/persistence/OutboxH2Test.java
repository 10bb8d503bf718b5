package io.taskmetering.adapter.persistence;

import java.time.Clock;

class OutboxH2Test extends OutboxContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.h2(), clock);
    }
}
