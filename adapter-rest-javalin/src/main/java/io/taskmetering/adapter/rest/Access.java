package io.taskmetering.adapter.rest;

/** Who may call a route. Subscription scoping is checked on top, by the handler, against the data it touches. */
enum Access {
    /** Anyone who reaches the service (operations routes); loopback only when no keys are configured. */
    PUBLIC,
    /** Any key: agent, reader and admin (what every caller may know, e.g. the contract versions). */
    ANY_KEY,
    /** Report outcomes and usage: agent and admin keys. */
    REPORT,
    /** Read: reader and admin keys. */
    READ,
    /** Challenge a charge: reader (the customer's key) and admin keys. */
    DISPUTE,
    /** Review, resolve: admin keys (scoped admins only within their subscriptions). */
    ADMIN,
    /** Operations over every subscription at once (submit, purge): unscoped admin keys only. */
    ADMIN_GLOBAL;

    boolean allows(Caller caller) {
        return switch (this) {
            case PUBLIC -> true;
            case ANY_KEY -> true;
            case REPORT -> caller.role() == Role.AGENT || caller.role() == Role.ADMIN;
            case READ, DISPUTE -> caller.role() == Role.READER || caller.role() == Role.ADMIN;
            case ADMIN -> caller.role() == Role.ADMIN;
            case ADMIN_GLOBAL -> caller.role() == Role.ADMIN && caller.unscoped();
        };
    }

    /** The roles that may call, for the OpenAPI document and the 403 message. */
    String describe() {
        return switch (this) {
            case PUBLIC -> "no key needed";
            case ANY_KEY -> "agent or reader or admin";
            case REPORT -> "agent or admin";
            case READ -> "reader or admin";
            case DISPUTE -> "reader or admin";
            case ADMIN -> "admin";
            case ADMIN_GLOBAL -> "admin without subscription scope";
        };
    }
}
