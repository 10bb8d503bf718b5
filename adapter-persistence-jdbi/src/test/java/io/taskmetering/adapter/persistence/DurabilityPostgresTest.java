package io.taskmetering.adapter.persistence;

class DurabilityPostgresTest extends DurabilityContract {
    @Override
    protected TestDb db() {
        return TestDb.postgres();
    }
}
