package io.taskmetering.adapter.persistence;

class ConcurrencyPostgresTest extends ConcurrencyContract {
    @Override
    protected TestDb db() {
        return TestDb.postgres();
    }
}
