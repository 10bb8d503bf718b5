package io.taskmetering.adapter.persistence;

import java.time.Clock;

class UsageRecordPostgresTest extends UsageRecordContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.postgres(), clock);
    }
}
