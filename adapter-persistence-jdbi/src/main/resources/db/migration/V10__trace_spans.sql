-- Spans received over OTLP (docs/telemetry.md), each kept once: the primary key (trace id, span id) keeps an
-- exporter's retry out. The span itself (attributes, events, resource) is one JSON column, read back whole by trace.
CREATE TABLE trace_spans (
    trace_id        CHAR(32) NOT NULL,
    span_id         CHAR(16) NOT NULL,
    received_at_us  BIGINT   NOT NULL,
    span_json       VARCHAR  NOT NULL,
    CONSTRAINT pk_trace_spans PRIMARY KEY (trace_id, span_id)
);
-- The retention purge deletes spans oldest first.
CREATE INDEX ix_trace_spans_received ON trace_spans (received_at_us);

-- Agent spans that may be tasks. PENDING until a settle run decides them: TASK (recorded as the outcome
-- correlation_id), NESTED (under another agent span) or REFUSED (reason). Claims are leases, as on usage_events.
-- subscription_ref is null only for an agent span admitted as nested under another of its export.
CREATE TABLE trace_task_candidates (
    trace_id          CHAR(32)      NOT NULL,
    span_id           CHAR(16)      NOT NULL,
    subscription_ref  VARCHAR(256),
    arrived_at_us     BIGINT        NOT NULL,
    state             VARCHAR(16)   NOT NULL,
    due_at_us         BIGINT        NOT NULL,
    claimed_by        VARCHAR(256),
    lease_until_us    BIGINT,
    decided_at_us     BIGINT,
    correlation_id    VARCHAR(256),
    reason            VARCHAR(1024),
    CONSTRAINT pk_trace_task_candidates PRIMARY KEY (trace_id, span_id),
    -- one agent span is one outcome; also what the evidence bundle finds a task's trace by
    CONSTRAINT uq_trace_task_candidates_correlation UNIQUE (correlation_id),
    CONSTRAINT ck_trace_task_candidates_state CHECK (state IN ('PENDING', 'TASK', 'NESTED', 'REFUSED')),
    CONSTRAINT ck_trace_task_candidates_decided CHECK ((state = 'PENDING' AND decided_at_us IS NULL)
        OR (state <> 'PENDING' AND decided_at_us IS NOT NULL)),
    CONSTRAINT ck_trace_task_candidates_task CHECK ((state = 'TASK') = (correlation_id IS NOT NULL))
);
-- The settle run claims due PENDING candidates, earliest first.
CREATE INDEX ix_trace_task_candidates_due ON trace_task_candidates (state, due_at_us);
-- The retention purge deletes settled candidates by when they were decided.
CREATE INDEX ix_trace_task_candidates_decided ON trace_task_candidates (decided_at_us);
