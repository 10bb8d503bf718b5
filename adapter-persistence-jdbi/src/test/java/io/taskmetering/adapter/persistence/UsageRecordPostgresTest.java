package io.taskmetering.adapter.persistence;

class UsageRecordPostgresTest extends UsageRecordContract {
    @Override
    protected TestDb db() {
        return TestDb.postgres();
    }
}
