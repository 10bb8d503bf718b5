package io.taskmetering.adapter.persistence;

import java.time.Clock;

class InvoicingPostgresTest extends InvoicingContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.postgres(), clock);
    }
}
