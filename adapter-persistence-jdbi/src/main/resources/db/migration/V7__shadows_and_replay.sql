-- Shadow runs: while a row is here, every outcome recorded for its scope is also decided under its version. The
-- global run has subscription_ref '' (a key column cannot be NULL). Stopping a run deletes its row; the decisions it
-- made stay in shadow_decisions.
CREATE TABLE contract_shadows (
    version           VARCHAR(256) NOT NULL,
    subscription_ref  VARCHAR(256) NOT NULL,
    started_at_us     BIGINT       NOT NULL,
    CONSTRAINT pk_contract_shadows PRIMARY KEY (version, subscription_ref),
    CONSTRAINT fk_contract_shadows_version FOREIGN KEY (version) REFERENCES contract_versions (version)
);

-- Shadow decisions: one outcome decided under a shadow version, next to the live decision's verdict. Apart from every
-- charge, bucket and usage event: nothing reads this table but the shadow report. Insert-only, once per version and
-- correlation id: a correlation id has one decision, of one subscription and hour, so the key in the report's order
-- (version, subscription, hour, correlation id) is as unique as (version, correlation id), and the live path maintains
-- one index, not two.
CREATE TABLE shadow_decisions (
    version              VARCHAR(256) NOT NULL,
    correlation_id       VARCHAR(256) NOT NULL,
    task_id              VARCHAR(256) NOT NULL,
    subscription_ref     VARCHAR(256) NOT NULL,
    hour_us              BIGINT       NOT NULL, -- the UTC hour of the outcome's occurred_at
    shadow_billable      BOOLEAN      NOT NULL,
    shadow_reason_codes  VARCHAR      NOT NULL, -- JSON array, one code per gate, in gate order: each names its gate
                                                -- and outcome (the digest is the live decision's: same evidence)
    live_version         VARCHAR(256) NOT NULL,
    live_billable        BOOLEAN      NOT NULL,
    live_reason_codes    VARCHAR      NOT NULL, -- JSON array, one code per gate
    evaluated_at_us      BIGINT       NOT NULL,
    CONSTRAINT pk_shadow_decisions PRIMARY KEY (version, subscription_ref, hour_us, correlation_id)
);

-- Replay reads a window of decisions by occurred_at, in (occurred_at, correlation_id) order.
CREATE INDEX ix_decisions_occurred ON decisions (occurred_at_us, correlation_id);
