package io.taskmetering.adapter.persistence;

class UsageRecordH2Test extends UsageRecordContract {
    @Override
    protected TestDb db() {
        return TestDb.h2();
    }
}
