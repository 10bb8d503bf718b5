package io.taskmetering.application.model;

/** Why a decision was made: to meter the outcome, or only to evaluate it (nothing billed). */
public enum DecisionKind {
    METERED, EVALUATION_ONLY
}
