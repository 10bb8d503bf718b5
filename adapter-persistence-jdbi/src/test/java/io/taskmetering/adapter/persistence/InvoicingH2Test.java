package io.taskmetering.adapter.persistence;

import java.time.Clock;

class InvoicingH2Test extends InvoicingContract {
    @Override
    protected Store open(Clock clock) {
        return database(TestDb.h2(), clock);
    }
}
