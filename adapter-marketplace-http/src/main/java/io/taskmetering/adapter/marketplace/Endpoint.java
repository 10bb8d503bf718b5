package io.taskmetering.adapter.marketplace;

/** The two submission endpoints of the Metering API, by their path under the base URL. */
enum Endpoint {
    SINGLE("usageEvent"),
    BATCH("batchUsageEvent");

    final String path;

    Endpoint(String path) {
        this.path = path;
    }

    static Endpoint of(SubmissionMode mode) {
        return mode == SubmissionMode.SINGLE ? SINGLE : BATCH;
    }
}
