package io.taskmetering.domain.contract;

import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.common.SubscriptionRef;

/** Whom a contract activation applies to: every subscription, or one subscription whose own schedule it belongs to. */
public sealed interface ContractScope {
    /** The global schedule: subscriptions without an activation of their own effective at the time. */
    record Global() implements ContractScope {
    }

    /** One subscription's own schedule, which wins over the global one (see {@link ContractSchedule}). */
    record Subscription(SubscriptionRef subscription) implements ContractScope {
        public Subscription {
            Require.present("subscription_ref", subscription);
        }
    }

    static ContractScope global() {
        return new Global();
    }

    /** The scope of {@code subscription}'s own schedule; {@code null} means the global one. */
    static ContractScope of(SubscriptionRef subscription) {
        return subscription == null ? global() : new Subscription(subscription);
    }

    /** The subscription of a subscription scope, null for the global one. */
    default SubscriptionRef subscriptionOrNull() {
        return this instanceof Subscription s ? s.subscription() : null;
    }
}
