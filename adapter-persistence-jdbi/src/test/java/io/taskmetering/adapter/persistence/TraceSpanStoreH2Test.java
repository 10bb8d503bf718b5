package io.taskmetering.adapter.persistence;

import java.time.Clock;

class TraceSpanStoreH2Test extends TraceSpanStoreContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.h2(), clock);
    }
}
