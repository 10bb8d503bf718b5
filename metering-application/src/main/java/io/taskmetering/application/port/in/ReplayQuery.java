package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.common.SubscriptionRef;

import java.time.Instant;
import java.util.Set;

/**
 * Re-decide the stored evidence of every metered decision whose {@code occurred_at} lies in {@code [from, to)} under
 * one contract version, or each under its own ({@link #AS_RECORDED}).
 *
 * @param subscriptions the subscriptions to include; empty = all
 * @param flipLimit     how many flips (and mismatches) the answer lists
 * @param cursor        where the previous page of flips ended, null for the first
 */
public record ReplayQuery(String contractVersion, Instant from, Instant to, Set<SubscriptionRef> subscriptions,
                          int flipLimit, String cursor) {
    /** Replays each decision under the version it was made under: proves the decisions reproducible. */
    public static final String AS_RECORDED = "as_recorded";

    public ReplayQuery {
        Require.id("contract_version", contractVersion);
        Require.present("from", from);
        Require.present("to", to);
        if (!from.isBefore(to)) {
            throw new InvalidValueException("from", "must be before to");
        }
        subscriptions = Set.copyOf(subscriptions);
        if (flipLimit < 1) {
            throw new InvalidValueException("limit", "must be at least 1");
        }
    }

    public boolean asRecorded() {
        return AS_RECORDED.equals(contractVersion);
    }
}
