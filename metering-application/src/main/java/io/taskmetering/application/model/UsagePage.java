package io.taskmetering.application.model;

import io.taskmetering.domain.usage.UsageRecord;

import java.util.List;

/** One page of usage records and the total number that match. */
public record UsagePage(List<UsageRecord> items, long total) {
    public UsagePage {
        items = List.copyOf(items);
    }
}
