package io.taskmetering.adapter.persistence;

class ReplayOnDatabasePostgresTest extends ReplayOnDatabaseContract {
    @Override
    protected TestDb db() {
        return TestDb.postgres();
    }
}
