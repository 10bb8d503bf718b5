package io.taskmetering.adapter.persistence;

class DecisionStorePostgresTest extends DecisionStoreContract {
    @Override
    protected TestDb db() {
        return TestDb.postgres();
    }
}
