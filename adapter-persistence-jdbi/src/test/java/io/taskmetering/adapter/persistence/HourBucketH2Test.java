package io.taskmetering.adapter.persistence;

class HourBucketH2Test extends HourBucketContract {
    @Override
    protected TestDb db() {
        return TestDb.h2();
    }
}
