package io.taskmetering.adapter.rest;

import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.SubscriptionRef;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is calling: the key's name (never the key), its role, and the subscriptions it may touch (empty = all). With
 * no keys configured every loopback client is an unscoped admin named {@code loopback}.
 */
record Caller(String name, Role role, Set<String> subscriptions) {
    static final String FORBIDDEN_SUBSCRIPTION = "is outside the subscriptions of this API key";

    Caller {
        subscriptions = Set.copyOf(subscriptions);
    }

    static Caller loopback() {
        return new Caller("loopback", Role.ADMIN, Set.of());
    }

    boolean unscoped() {
        return subscriptions.isEmpty();
    }

    boolean mayTouch(String subscription) {
        return unscoped() || subscriptions.contains(subscription);
    }

    boolean mayTouch(SubscriptionRef subscription) {
        return mayTouch(subscription.value());
    }

    /** Refuses (403, naming {@code field}) a subscription or consumer outside the key's scope. */
    void requireScope(String field, String subscription) {
        if (subscription != null && !mayTouch(subscription)) {
            throw ApiException.forbidden(field, FORBIDDEN_SUBSCRIPTION);
        }
    }

    /**
     * The subscriptions a listing covers: the one asked for (which must be in scope), else every subscription of
     * the key (empty = all, for an unscoped key).
     */
    Set<SubscriptionRef> subscriptionFilter(String field, String requested) {
        if (requested != null) {
            requireScope(field, requested);
            return Set.of(new SubscriptionRef(requested));
        }
        return subscriptions.stream().map(SubscriptionRef::new).collect(Collectors.toUnmodifiableSet());
    }

    /** For usage records the subscription is the consumer id: the consumers this key may see (empty = all). */
    Set<ConsumerId> consumerScope() {
        return subscriptions.stream().map(ConsumerId::new).collect(Collectors.toUnmodifiableSet());
    }
}
