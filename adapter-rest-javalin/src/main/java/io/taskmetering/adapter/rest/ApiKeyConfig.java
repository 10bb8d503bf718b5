package io.taskmetering.adapter.rest;

import java.util.Objects;
import java.util.Set;

/**
 * One configured API key.
 *
 * @param name          a label for logs and metrics (never the key itself)
 * @param key           the secret presented as {@code Authorization: Bearer <key>}; at least 16 characters
 * @param role          what the key may do
 * @param subscriptions the subscriptions (and, for usage records, consumer ids) the key may touch; empty = all
 */
public record ApiKeyConfig(String name, String key, Role role, Set<String> subscriptions) {
    public static final int MIN_KEY_LENGTH = 16;

    public ApiKeyConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an API key needs a name");
        }
        if (key == null || key.length() < MIN_KEY_LENGTH) {
            throw new IllegalArgumentException("API key '" + name + "' must be at least " + MIN_KEY_LENGTH + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c <= ' ' || c > '~') {
                throw new IllegalArgumentException("API key '" + name + "' must be printable ASCII without spaces");
            }
        }
        Objects.requireNonNull(role, "role");
        subscriptions = Set.copyOf(subscriptions == null ? Set.of() : subscriptions);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "ApiKeyConfig[name=" + name + ", role=" + role.wireName() + ", subscriptions="
                + (subscriptions.isEmpty() ? "all" : subscriptions) + ", key=***]";
    }
}
