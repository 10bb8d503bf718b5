package io.taskmetering.adapter.persistence;

class ReplayOnDatabaseH2Test extends ReplayOnDatabaseContract {
    @Override
    protected TestDb db() {
        return TestDb.h2();
    }
}
