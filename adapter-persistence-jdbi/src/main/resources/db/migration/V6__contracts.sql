-- Contract versions: the gate settings under an id. Immutable: rows are inserted (ON CONFLICT DO NOTHING), never
-- updated or deleted, so every decision's contract_version keeps meaning the settings it was made under. A setting
-- added later is a new column whose default is the behaviour before it existed.
CREATE TABLE contract_versions (
    version                      VARCHAR(256)     NOT NULL,
    required_output_keys         VARCHAR          NOT NULL, -- JSON array of strings, in the order gate 2 reports them
    require_approval             BOOLEAN          NOT NULL,
    require_intent_resolution    BOOLEAN          NOT NULL,
    intent_resolution_threshold  DOUBLE PRECISION NOT NULL,
    hold_ambiguous_for_review    BOOLEAN          NOT NULL,
    created_at_us                BIGINT           NOT NULL,
    CONSTRAINT pk_contract_versions PRIMARY KEY (version)
);

-- Contract activations: from effective_from on (by an outcome's occurred_at) the version decides the scope's
-- outcomes. scope 'global' has subscription_ref '' (a key column cannot be NULL); scope 'subscription' names one.
-- One activation per scope and instant; rows are never updated or deleted.
CREATE TABLE contract_activations (
    scope             VARCHAR(16)  NOT NULL,
    subscription_ref  VARCHAR(256) NOT NULL,
    effective_from_us BIGINT       NOT NULL,
    version           VARCHAR(256) NOT NULL,
    created_at_us     BIGINT       NOT NULL,
    CONSTRAINT pk_contract_activations PRIMARY KEY (scope, subscription_ref, effective_from_us),
    CONSTRAINT fk_contract_activations_version FOREIGN KEY (version) REFERENCES contract_versions (version),
    CONSTRAINT ck_contract_activations_scope CHECK ((scope = 'global' AND subscription_ref = '')
        OR (scope = 'subscription' AND subscription_ref <> ''))
);

-- The newest closed hour of a subscription, or of any, bounds where a new activation may take effect.
CREATE INDEX ix_hour_buckets_closed ON hour_buckets (closed, subscription_ref, hour_us);
