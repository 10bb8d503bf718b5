package io.taskmetering.domain.charge;

import io.taskmetering.domain.common.InvalidValueException;

import java.util.Locale;

/**
 * How far a task's charge is de-duplicated. {@link #TASK}: once, ever (the default). {@link #HOUR}: once per task and
 * hour, the reference library's behaviour, which bills a retry that crosses an hour twice; offered only for
 * compatibility.
 */
public enum DedupeScope {
    TASK, HOUR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DedupeScope parse(String value) {
        for (DedupeScope scope : values()) {
            if (scope.wireName().equalsIgnoreCase(value)) {
                return scope;
            }
        }
        throw new InvalidValueException("dedupe_scope", "must be task or hour, was '" + value + "'");
    }
}
