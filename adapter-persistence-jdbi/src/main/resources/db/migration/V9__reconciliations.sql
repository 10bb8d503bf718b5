-- Reconciliation runs: one UTC day compared with what the Marketplace reports. Insert-only; re-running a day adds a
-- run, and the day's latest run (by ran_at, then run_id) is the one shown.
CREATE TABLE reconciliation_runs (
    run_id          VARCHAR(256) NOT NULL,
    day_us          BIGINT       NOT NULL, -- midnight UTC of the day
    ran_at_us       BIGINT       NOT NULL,
    hours_compared  INT          NOT NULL,
    matching        INT          NOT NULL,
    CONSTRAINT pk_reconciliation_runs PRIMARY KEY (run_id),
    CONSTRAINT ck_reconciliation_runs_counts CHECK (matching >= 0 AND matching <= hours_compared)
);
CREATE INDEX ix_reconciliation_runs_day ON reconciliation_runs (day_us, ran_at_us, run_id);

-- The hours of a run that differ: one row per subscription, dimension and hour. kind is MISMATCHED,
-- MISSING_AT_MARKETPLACE (theirs is 0) or MISSING_HERE (ours is 0).
CREATE TABLE reconciliation_differences (
    run_id            VARCHAR(256)   NOT NULL,
    subscription_ref  VARCHAR(256)   NOT NULL,
    dimension         VARCHAR(256)   NOT NULL,
    hour_us           BIGINT         NOT NULL,
    kind              VARCHAR(32)    NOT NULL,
    ours              BIGINT         NOT NULL,
    theirs            DECIMAL(38, 9) NOT NULL,
    CONSTRAINT pk_reconciliation_differences PRIMARY KEY (run_id, subscription_ref, dimension, hour_us),
    CONSTRAINT fk_reconciliation_differences_run FOREIGN KEY (run_id) REFERENCES reconciliation_runs (run_id),
    CONSTRAINT ck_reconciliation_differences_kind
        CHECK (kind IN ('MISMATCHED', 'MISSING_AT_MARKETPLACE', 'MISSING_HERE'))
);
