package io.taskmetering.adapter.persistence;

class TraceSettlementOnDatabasePostgresTest extends TraceSettlementOnDatabaseContract {
    @Override
    protected TestDb db() {
        return TestDb.postgres();
    }
}
