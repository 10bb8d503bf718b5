package io.taskmetering.domain.common;

/** A Marketplace metering dimension id; {@link #TASK_COMPLETED} is the default one. */
public record Dimension(String value) implements Comparable<Dimension> {
    public static final Dimension TASK_COMPLETED = new Dimension("task_completed");

    public Dimension {
        Require.id("dimension", value);
    }

    public static Dimension of(String value) {
        return new Dimension(value);
    }

    @Override
    public int compareTo(Dimension other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
