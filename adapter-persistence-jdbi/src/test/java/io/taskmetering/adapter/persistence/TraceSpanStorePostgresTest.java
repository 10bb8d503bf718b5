package io.taskmetering.adapter.persistence;

import java.time.Clock;

class TraceSpanStorePostgresTest extends TraceSpanStoreContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.postgres(), clock);
    }
}
