package io.taskmetering.domain.common;

/** Identifier `agent_id`: non-blank, at most {@link Require#MAX_ID_LENGTH} characters, no control characters. */
public record AgentId(String value) implements Comparable<AgentId> {
    public AgentId {
        Require.id("agent_id", value);
    }

    public static AgentId of(String value) {
        return new AgentId(value);
    }

    @Override
    public int compareTo(AgentId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
