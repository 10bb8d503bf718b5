package io.taskmetering.application.model;

import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.usage.UsageFilter;

import java.util.Set;

/**
 * A filter over usage records plus the consumers the caller may see ({@code allowedConsumers} empty = all), paged by
 * offset as the {@code /usage} API does, ordered by timestamp.
 */
public record UsageRecordQuery(UsageFilter filter, Set<ConsumerId> allowedConsumers, int limit, long offset) {
    public static final int MAX_LIMIT = 1000;

    public UsageRecordQuery {
        if (filter == null) {
            filter = UsageFilter.all();
        }
        allowedConsumers = Set.copyOf(allowedConsumers == null ? Set.of() : allowedConsumers);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new io.taskmetering.domain.common.InvalidValueException("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (offset < 0) {
            throw new io.taskmetering.domain.common.InvalidValueException("offset", "must not be negative");
        }
    }
}
