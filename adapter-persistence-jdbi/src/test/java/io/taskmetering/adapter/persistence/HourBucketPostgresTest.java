package io.taskmetering.adapter.persistence;

class HourBucketPostgresTest extends HourBucketContract {
    @Override
    protected TestDb db() {
        return TestDb.postgres();
    }
}
