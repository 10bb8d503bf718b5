package io.taskmetering.application.port.in;

import io.taskmetering.domain.usage.UsageAggregate;

import java.util.List;

public interface AggregateUsageUseCase {
    List<UsageAggregate> aggregate(AggregateUsageQuery query);
}
