package io.taskmetering.adapter.persistence;

class InvoicingPostgresTest extends InvoicingContract {
    @Override
    protected TestDb db() {
        return TestDb.postgres();
    }
}
