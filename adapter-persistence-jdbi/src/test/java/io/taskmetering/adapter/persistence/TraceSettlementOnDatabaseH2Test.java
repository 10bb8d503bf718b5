package io.taskmetering.adapter.persistence;

class TraceSettlementOnDatabaseH2Test extends TraceSettlementOnDatabaseContract {
    @Override
    protected TestDb db() {
        return TestDb.h2();
    }
}
