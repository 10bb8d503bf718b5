package io.taskmetering.adapter.rest;

import java.util.Locale;

/**
 * What an API key may do. {@link #AGENT} reports outcomes and usage, {@link #READER} reads (and disputes charges of)
 * its subscriptions, {@link #ADMIN} does everything, including review, resolve, submit and purge.
 */
public enum Role {
    AGENT, READER, ADMIN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code agent}, {@code reader} or {@code admin} (any case). */
    public static Role parse(String value) {
        if (value != null) {
            for (Role role : values()) {
                if (role.name().equalsIgnoreCase(value.trim())) {
                    return role;
                }
            }
        }
        throw new IllegalArgumentException("role must be agent, reader or admin, was '" + value + "'");
    }
}
