package io.taskmetering.adapter.persistence;

class ChargeStoreH2Test extends ChargeStoreContract {
    @Override
    protected TestDb db() {
        return TestDb.h2();
    }
}
