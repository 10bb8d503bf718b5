package io.taskmetering.application.port.in;

/**
 * One settle run: tasks decided (billable or not), agent spans found nested in another task (evidence only), agent
 * spans still waiting for their settle delay or an in-process parent, and tasks that could not be metered (an agent
 * span admitted as nested whose parent agent never showed up; nothing billed, see the log).
 */
public record SettleTracesResult(int tasksDecided, int nestedAgentSpans, int waiting, int refused) {
}
