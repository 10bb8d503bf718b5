package io.taskmetering.adapter.persistence;

class AnomalyAndPurgePostgresTest extends AnomalyAndPurgeContract {
    @Override
    protected TestDb db() {
        return TestDb.postgres();
    }
}
