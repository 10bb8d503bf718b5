package io.taskmetering.application.port.in;

/**
 * What is waiting right now: usage events not yet settled with the Marketplace (pending or claimed), charges held for
 * review, charges under dispute. Served as gauges, so an operator can alert on a queue that only grows.
 */
public record Backlog(long usageEventsPending, long chargesPendingReview, long chargesDisputed) {
    public Backlog {
        if (usageEventsPending < 0 || chargesPendingReview < 0 || chargesDisputed < 0) {
            throw new IllegalArgumentException("backlog counts cannot be negative");
        }
    }
}
