package io.taskmetering.domain.contract;

import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.common.SubscriptionRef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which contract version decides an outcome, by the subscription it belongs to and the instant it occurred.
 *
 * <p>The rule: the subscription's own schedule decides as soon as it has an activation effective at that instant —
 * its latest activation with {@code effectiveFrom <= occurredAt} — even when a global activation took effect later.
 * A per-subscription activation is a deliberate exception for that subscription, so a later global roll-out does not
 * silently undo it; to move the subscription onto the global rules, activate that version for it. Without an
 * effective activation of its own, the latest global activation with {@code effectiveFrom <= occurredAt} decides, and
 * before the first global activation the bootstrap version does, from the beginning of time.
 */
public final class ContractSchedule {
    private final String bootstrapVersion;
    private final NavigableMap<Instant, String> global = new TreeMap<>();
    private final Map<SubscriptionRef, NavigableMap<Instant, String>> bySubscription = new HashMap<>();

    /**
     * @throws InvalidValueException naming {@code effective_from} when two activations take the same place (scope and
     *                               instant); storage prevents it, so this guards a schedule built by hand
     */
    public ContractSchedule(String bootstrapVersion, List<ContractActivation> activations) {
        this.bootstrapVersion = Require.id("contract_version", bootstrapVersion);
        for (ContractActivation a : Require.present("activations", activations)) {
            SubscriptionRef subscription = a.scope().subscriptionOrNull();
            NavigableMap<Instant, String> timeline = subscription == null
                    ? global
                    : bySubscription.computeIfAbsent(subscription, k -> new TreeMap<>());
            if (timeline.putIfAbsent(a.effectiveFrom(), a.version()) != null) {
                throw new InvalidValueException("effective_from", "two activations of one scope at " + a.effectiveFrom());
            }
        }
    }

    public String bootstrapVersion() {
        return bootstrapVersion;
    }

    /** The version that decides an outcome of {@code subscription} that occurred at {@code occurredAt}. */
    public String versionAt(SubscriptionRef subscription, Instant occurredAt) {
        Require.present("subscription_ref", subscription);
        Require.instant("occurred_at", occurredAt);
        NavigableMap<Instant, String> own = bySubscription.get(subscription);
        Map.Entry<Instant, String> decided = own == null ? null : own.floorEntry(occurredAt);
        if (decided == null) {
            decided = global.floorEntry(occurredAt);
        }
        return decided == null ? bootstrapVersion : decided.getValue();
    }

    /**
     * Every period of every schedule, the bootstrap version's first: global periods by start, then each subscription's
     * by subscription and start.
     */
    public List<ContractPeriod> periods() {
        List<ContractPeriod> periods = new ArrayList<>();
        Instant firstGlobal = global.isEmpty() ? null : global.firstKey();
        periods.add(new ContractPeriod(ContractScope.global(), bootstrapVersion, null, firstGlobal));
        addPeriods(ContractScope.global(), global, periods);
        bySubscription.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> addPeriods(ContractScope.of(e.getKey()), e.getValue(), periods));
        return periods;
    }

    /** The periods in which {@code version} applies, in the order of {@link #periods()}. */
    public List<ContractPeriod> periodsOf(String version) {
        return periods().stream().filter(p -> p.version().equals(version)).toList();
    }

    private static void addPeriods(ContractScope scope, NavigableMap<Instant, String> timeline, List<ContractPeriod> into) {
        timeline.forEach((from, version) -> into.add(new ContractPeriod(scope, version, from, timeline.higherKey(from))));
    }

    /**
     * Whether {@code proposed} may be activated, given the newest hour already closed in its scope (for a subscription,
     * that subscription's; for the global schedule, any subscription's): an {@code effectiveFrom} before that hour's
     * end would change the rules of an hour whose quantity is final, and is refused.
     */
    public static ActivationCheck check(ContractActivation proposed, Optional<BillingHour> lastClosedHour) {
        Require.present("activation", proposed);
        return lastClosedHour.filter(hour -> proposed.effectiveFrom().isBefore(hour.end()))
                .<ActivationCheck>map(ActivationCheck.IntoClosedHour::new)
                .orElseGet(ActivationCheck.Admissible::new);
    }
}
