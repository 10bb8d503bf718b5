package io.taskmetering.adapter.persistence;

class DecisionStoreH2Test extends DecisionStoreContract {
    @Override
    protected TestDb db() {
        return TestDb.h2();
    }
}
