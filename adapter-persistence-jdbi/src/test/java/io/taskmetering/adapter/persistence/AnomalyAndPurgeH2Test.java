package io.taskmetering.adapter.persistence;

class AnomalyAndPurgeH2Test extends AnomalyAndPurgeContract {
    @Override
    protected TestDb db() {
        return TestDb.h2();
    }
}
