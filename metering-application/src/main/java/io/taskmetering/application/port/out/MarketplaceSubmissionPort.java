package io.taskmetering.application.port.out;

import io.taskmetering.application.model.SubmissionResult;

import io.taskmetering.domain.billing.UsageEvent;

import java.util.List;

/**
 * Sends usage events to the Azure Marketplace (or records them in dry-run). Called outside any transaction.
 * Implementations retry transient failures themselves and return one result per event, matched by key.
 */
public interface MarketplaceSubmissionPort {
    List<SubmissionResult> submit(List<UsageEvent> events);
}
