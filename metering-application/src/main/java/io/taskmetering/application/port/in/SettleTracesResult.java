package io.taskmetering.application.port.in;

/**
 * One settle run: tasks decided (billable or not), agent spans found nested in another task (evidence only), and
 * agent spans still waiting for their settle delay or an in-process parent.
 */
public record SettleTracesResult(int tasksDecided, int nestedAgentSpans, int waiting) {
}
