package io.taskmetering.domain.common;

/** Identifier `task_id`: non-blank, at most {@link Require#MAX_ID_LENGTH} characters, no control characters. */
public record TaskId(String value) implements Comparable<TaskId> {
    public TaskId {
        Require.id("task_id", value);
    }

    public static TaskId of(String value) {
        return new TaskId(value);
    }

    @Override
    public int compareTo(TaskId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
