package io.taskmetering.application.port.in;

/**
 * Decides every task whose agent span has settled: maps its trace to an outcome with evidence and usage and records
 * it through the one outcome path, so the five gates, the charge key and the caps apply exactly as to a reported
 * outcome. Run on a schedule; safe to run on several instances at once and again after a crash.
 */
public interface SettleTracesUseCase {
    SettleTracesResult settleDue();
}
