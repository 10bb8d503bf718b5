package io.taskmetering.adapter.persistence;

class DurabilityH2Test extends DurabilityContract {
    @Override
    protected TestDb db() {
        return TestDb.h2File();
    }
}
