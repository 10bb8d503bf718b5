package io.taskmetering.adapter.persistence;

import java.time.Clock;

class UsageRecordH2Test extends UsageRecordContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.h2(), clock);
    }
}
