package io.taskmetering.adapter.persistence;

class OutboxH2Test extends OutboxContract {
    @Override
    protected TestDb db() {
        return TestDb.h2();
    }
}
