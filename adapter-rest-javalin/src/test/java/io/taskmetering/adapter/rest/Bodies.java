package io.taskmetering.adapter.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Request bodies for the tests, as maps so each test can change one field. */
final class Bodies {
    private Bodies() {
    }

    static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    /** A billable outcome (terminal success) of {@code task} for {@code subscription}. */
    static Map<String, Object> outcome(String task, String subscription) {
        return map("task_id", task, "agent_id", "agent-1", "subscription_ref", subscription,
                "evidence", map("outputs", map("terminal_success", true, "summary", "done")));
    }

    static Map<String, Object> failedOutcome(String task, String subscription) {
        return map("task_id", task, "agent_id", "agent-1", "subscription_ref", subscription,
                "evidence", map("outputs", map("status", "timeout")));
    }

    /** Billable but ambiguous: held for review (human hand-off). */
    static Map<String, Object> heldOutcome(String task, String subscription) {
        return map("task_id", task, "agent_id", "agent-1", "subscription_ref", subscription,
                "evidence", map("outputs", map("terminal_success", true, "human_handoff", true)));
    }

    static Map<String, Object> with(Map<String, Object> body, Object... keyValues) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        for (int i = 0; i < keyValues.length; i += 2) {
            copy.put((String) keyValues[i], keyValues[i + 1]);
        }
        return copy;
    }

    static Map<String, Object> without(Map<String, Object> body, String key) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        copy.remove(key);
        return copy;
    }

    static Map<String, Object> usage(String task, String consumer, String timestamp) {
        return map("task_id", task, "agent_id", "agent-1", "consumer_id", consumer, "tokens_in", 100,
                "tokens_out", 50, "duration_ms", 1200, "api_calls", 3, "timestamp", timestamp);
    }

    static Map<String, Object> batch(String field, List<?> items) {
        return map(field, items);
    }
}
