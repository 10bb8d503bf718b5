package io.taskmetering.adapter.persistence;

class ConcurrencyH2Test extends ConcurrencyContract {
    @Override
    protected TestDb db() {
        return TestDb.h2();
    }
}
