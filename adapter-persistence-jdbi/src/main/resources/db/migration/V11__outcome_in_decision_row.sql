-- agent-task-metering schema, version 11: what a decision's recording ended as is part of the decision's row, not a
-- second row in decision_outcomes. The row is inserted with the outcome its recording is expected to end as (charged
-- in the hour it claims, or not billable); a recording that ends otherwise (a duplicate, an hour or a cap that moved
-- or held the charge) updates it in the same transaction. One row and one index entry fewer per outcome.
-- outcome_state: the state the charge was created in (QUALIFIED or PENDING_REVIEW), NULL when nothing was charged.
-- outcome_duplicate_of: the decision that holds the charge when this one was a duplicate, else NULL.
-- outcome_hour_us / outcome_late: where the charge counts, and whether its own hour had closed.
ALTER TABLE decisions ADD COLUMN outcome_state VARCHAR(32);
ALTER TABLE decisions ADD COLUMN outcome_duplicate_of VARCHAR(256);
ALTER TABLE decisions ADD COLUMN outcome_hour_us BIGINT;
ALTER TABLE decisions ADD COLUMN outcome_late BOOLEAN DEFAULT FALSE NOT NULL;

UPDATE decisions SET
    outcome_state = (SELECT o.charge_state FROM decision_outcomes o WHERE o.correlation_id = decisions.correlation_id),
    outcome_duplicate_of = (SELECT CASE WHEN o.duplicate THEN o.charge_correlation_id END FROM decision_outcomes o
                            WHERE o.correlation_id = decisions.correlation_id),
    outcome_hour_us = (SELECT o.billing_hour_us FROM decision_outcomes o WHERE o.correlation_id = decisions.correlation_id),
    outcome_late = (SELECT o.late FROM decision_outcomes o WHERE o.correlation_id = decisions.correlation_id)
WHERE EXISTS (SELECT 1 FROM decision_outcomes o WHERE o.correlation_id = decisions.correlation_id);

DROP TABLE decision_outcomes;
