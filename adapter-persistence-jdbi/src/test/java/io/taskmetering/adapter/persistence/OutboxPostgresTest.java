package io.taskmetering.adapter.persistence;

class OutboxPostgresTest extends OutboxContract {
    @Override
    protected TestDb db() {
        return TestDb.postgres();
    }
}
