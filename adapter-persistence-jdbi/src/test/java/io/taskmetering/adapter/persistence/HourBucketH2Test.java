package io.taskmetering.adapter.persistence;

import java.time.Clock;

class HourBucketH2Test extends HourBucketContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.h2(), clock);
    }
}
