package io.taskmetering.domain.billing;

import io.taskmetering.domain.common.SubscriptionRef;

import java.util.Map;
import java.util.Objects;

/** Global caps plus per-subscription overrides. Protects customers from runaway agents. */
public record GuardrailCaps(CapLimits defaults, Map<SubscriptionRef, CapLimits> overrides) {
    public GuardrailCaps {
        Objects.requireNonNull(defaults, "defaults");
        overrides = Map.copyOf(overrides == null ? Map.of() : overrides);
    }

    public static GuardrailCaps unlimited() {
        return new GuardrailCaps(CapLimits.UNLIMITED, Map.of());
    }

    public static GuardrailCaps of(long hourly, long daily) {
        return new GuardrailCaps(new CapLimits(hourly, daily), Map.of());
    }

    public CapLimits limitsFor(SubscriptionRef subscription) {
        return overrides.getOrDefault(subscription, defaults);
    }

    public GuardrailCaps withOverride(SubscriptionRef subscription, CapLimits limits) {
        var copy = new java.util.HashMap<>(overrides);
        copy.put(subscription, limits);
        return new GuardrailCaps(defaults, copy);
    }
}
