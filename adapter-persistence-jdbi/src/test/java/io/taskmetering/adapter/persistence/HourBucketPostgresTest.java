package io.taskmetering.adapter.persistence;

import java.time.Clock;

class HourBucketPostgresTest extends HourBucketContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.postgres(), clock);
    }
}
