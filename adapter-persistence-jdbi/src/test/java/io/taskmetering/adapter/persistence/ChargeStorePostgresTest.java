package io.taskmetering.adapter.persistence;

class ChargeStorePostgresTest extends ChargeStoreContract {
    @Override
    protected TestDb db() {
        return TestDb.postgres();
    }
}
