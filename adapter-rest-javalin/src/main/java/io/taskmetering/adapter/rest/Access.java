package io.taskmetering.adapter.rest;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may call a route: the roles it admits and whether a key scoped to subscriptions is refused outright. Subscription
 * scoping of the data a route touches is checked on top, by the handler. The OpenAPI document states the same per
 * operation ({@code x-roles}, {@code x-other-subscriptions}); a test holds the two together.
 */
enum Access {
    /** Anyone who reaches the service (operations routes); loopback only when no keys are configured. */
    PUBLIC(Set.of(Role.values()), false),
    /** Any key: agent, reader and admin (what every caller may know, e.g. the contract versions). */
    ANY_KEY(Set.of(Role.values()), false),
    /** Report outcomes and usage: agent and admin keys. */
    REPORT(Set.of(Role.AGENT, Role.ADMIN), false),
    /** Read: reader and admin keys. */
    READ(Set.of(Role.READER, Role.ADMIN), false),
    /** Challenge a charge: reader (the customer's key) and admin keys. */
    DISPUTE(Set.of(Role.READER, Role.ADMIN), false),
    /** Review, resolve: admin keys (scoped admins only within their subscriptions). */
    ADMIN(Set.of(Role.ADMIN), false),
    /** Operations over every subscription at once (submit, purge): unscoped admin keys only. */
    ADMIN_GLOBAL(Set.of(Role.ADMIN), true);

    private final Set<Role> roles;
    private final boolean unscopedOnly;

    Access(Set<Role> roles, boolean unscopedOnly) {
        this.roles = roles;
        this.unscopedOnly = unscopedOnly;
    }

    Set<Role> roles() {
        return roles;
    }

    /** True when a key scoped to subscriptions may not call at all: the route acts on every subscription. */
    boolean unscopedOnly() {
        return unscopedOnly;
    }

    boolean allows(Caller caller) {
        return roles.contains(caller.role()) && (!unscopedOnly || caller.unscoped());
    }

    /** The roles that may call, for the 403 message. */
    String describe() {
        if (this == PUBLIC) {
            return "no key needed";
        }
        String names = Arrays.stream(Role.values()).filter(roles::contains).map(Role::wireName).collect(Collectors.joining(" or "));
        return unscopedOnly ? names + " without subscription scope" : names;
    }
}
