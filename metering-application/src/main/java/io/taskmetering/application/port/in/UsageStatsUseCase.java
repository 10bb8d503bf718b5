package io.taskmetering.application.port.in;

public interface UsageStatsUseCase {
    UsageStatsResult stats();
}
