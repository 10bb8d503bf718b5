-- agent-task-metering schema, version 8: what the insights count, kept as columns of each decision so that counting
-- a window is an indexed range read grouped in SQL, never a parse of the stored JSON.
-- agent_version: the version the report named (NULL: none). failed_gate: the first gate that refused billing (NULL:
-- billable). evidence_complete: at least one output and one trace entry. Decisions written before this version keep
-- NULL in all three: they count under version "unknown", gate "unknown", and as incomplete evidence.
ALTER TABLE decisions ADD COLUMN agent_version VARCHAR(256);
ALTER TABLE decisions ADD COLUMN failed_gate VARCHAR(32);
ALTER TABLE decisions ADD COLUMN evidence_complete BOOLEAN;

-- A reader's window: one subscription's decisions by occurrence (the unfiltered window uses ix_decisions_occurred).
CREATE INDEX ix_decisions_sub_occurred ON decisions (subscription_ref, occurred_at_us);
