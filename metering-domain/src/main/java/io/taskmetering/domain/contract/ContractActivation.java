package io.taskmetering.domain.contract;

import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.Require;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * From {@code effectiveFrom} on (by an outcome's {@code occurred_at}), {@code version} decides the outcomes of
 * {@code scope}, until the next activation of the same scope. A scope has at most one activation per instant.
 *
 * @param effectiveFrom whole microseconds, the precision at which instants are stored, so an outcome compares the same
 *                      way with its stored {@code occurred_at} as it did when it was decided
 */
public record ContractActivation(ContractScope scope, Instant effectiveFrom, String version) {
    public ContractActivation {
        Require.present("scope", scope);
        Require.instant("effective_from", effectiveFrom);
        if (!effectiveFrom.truncatedTo(ChronoUnit.MICROS).equals(effectiveFrom)) {
            throw new InvalidValueException("effective_from", "must have at most microsecond precision");
        }
        Require.id("contract_version", version);
    }

    /** Whether this activation takes the same place in the schedule (scope and instant) as {@code other}. */
    public boolean samePlaceAs(ContractActivation other) {
        return scope.equals(other.scope) && effectiveFrom.equals(other.effectiveFrom);
    }
}
