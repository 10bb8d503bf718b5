package io.taskmetering.application.port.in;

import io.taskmetering.application.model.DecisionFlip;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.SubscriptionRef;

import java.util.List;
import java.util.Objects;

/** What a replay found. It changes nothing: no charge, no ledger entry, no hour. */
public sealed interface ReplayResult {
    /**
     * The window replayed.
     *
     * @param hours         per subscription and hour with a flip, the difference the replayed version would make
     *                      to the hour's quantity
     * @param flips         one page of the flips, in order of (occurred_at, correlation id)
     * @param nextCursor    where the next page of flips starts, null on the last
     * @param mismatchCount decisions that replaying under their own version did not reproduce exactly (a defect)
     * @param mismatches    the first of them, at most as many as the page of flips
     */
    record Replayed(String contractVersion, long replayed, long unchanged, long flippedToBillable,
                    long flippedToNotBillable, List<HourDifference> hours, List<DecisionFlip> flips, String nextCursor,
                    long mismatchCount, List<Mismatch> mismatches) implements ReplayResult {
        public Replayed {
            Objects.requireNonNull(contractVersion, "contractVersion");
            hours = List.copyOf(hours);
            flips = List.copyOf(flips);
            mismatches = List.copyOf(mismatches);
        }
    }

    /** No version has this id. */
    record UnknownVersion(String version) implements ReplayResult {
    }

    /** The window holds more decisions than one replay answers; narrow it (time or subscription). */
    record WindowTooLarge(int maxDecisions) implements ReplayResult {
    }

    /**
     * How one subscription's hour would change: +1 for each outcome that would now be charged (without review),
     * −1 for each flipped outcome that was counted when recorded.
     */
    record HourDifference(SubscriptionRef subscription, BillingHour hour, long quantityDifference) {
    }

    /** A decision that replaying under its own version did not reproduce, and how. */
    record Mismatch(CorrelationId correlationId, String contractVersion, String difference) {
    }
}
