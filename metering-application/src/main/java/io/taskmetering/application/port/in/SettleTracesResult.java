package io.taskmetering.application.port.in;

/**
 * One settle run over the agent spans whose settle delay had passed: tasks decided (billable or not), agent spans
 * found nested in another task (evidence only), agent spans put back to wait for an in-process parent that has not
 * arrived, and tasks that could not be metered (an agent span admitted as nested of which no agent span above it is
 * kept any more; nothing billed).
 */
public record SettleTracesResult(int tasksDecided, int nestedAgentSpans, int waiting, int refused) {
}
