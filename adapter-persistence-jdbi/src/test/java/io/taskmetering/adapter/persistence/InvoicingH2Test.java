package io.taskmetering.adapter.persistence;

class InvoicingH2Test extends InvoicingContract {
    @Override
    protected TestDb db() {
        return TestDb.h2();
    }
}
