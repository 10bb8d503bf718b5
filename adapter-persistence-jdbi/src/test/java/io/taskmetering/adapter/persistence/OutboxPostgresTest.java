package io.taskmetering.adapter.persistence;

import java.time.Clock;

class OutboxPostgresTest extends OutboxContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.postgres(), clock);
    }
}
