package io.taskmetering.domain.contract;

import java.time.Instant;

/**
 * Where and when one version applies in one schedule: from {@code effectiveFrom} (null: the beginning of time, the
 * bootstrap version's global period) until {@code effectiveUntil} (null: open-ended), exclusive. A subscription
 * period covers that subscription only; a global period covers every subscription without a subscription period at
 * the time.
 */
public record ContractPeriod(ContractScope scope, String version, Instant effectiveFrom, Instant effectiveUntil) {
}
