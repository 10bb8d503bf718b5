package io.taskmetering.domain.common;

/** Identifier `plan_id`: non-blank, at most {@link Require#MAX_ID_LENGTH} characters, no control characters. */
public record PlanId(String value) implements Comparable<PlanId> {
    public PlanId {
        Require.id("plan_id", value);
    }

    public static PlanId of(String value) {
        return new PlanId(value);
    }

    @Override
    public int compareTo(PlanId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
