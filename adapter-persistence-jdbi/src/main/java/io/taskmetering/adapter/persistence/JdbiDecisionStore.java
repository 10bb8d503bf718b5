package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.DecisionKind;
import io.taskmetering.application.model.DecisionWindowQuery;
import io.taskmetering.application.model.EvidenceCanonicalization;
import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.NewDecision;
import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.model.StoredDecision;
import io.taskmetering.application.port.out.LoadDecisionsPort;
import io.taskmetering.application.port.out.SaveDecisionsPort;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.charge.ChargeState;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.Gate;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Decisions and their outcomes: idempotent per correlation id by the primary key. */
final class JdbiDecisionStore implements SaveDecisionsPort, LoadDecisionsPort {
    static final String COLUMNS = "correlation_id, task_id, agent_id, subscription_ref, dimension, plan_id, kind, "
            + "occurred_at_us, received_at_us, billable, contract_version, evidence_sha256, evidence_json, decision_json, "
            + "metadata_json, evidence_canonicalization";
    /** Read by the insights only: derived from the decision once, when it is written. */
    private static final String INSIGHT_COLUMNS = "agent_version, failed_gate, evidence_complete";
    /** What the decision's recording ended as (see V11): part of the decision's row. */
    static final String OUTCOME_COLUMNS = "outcome_state, outcome_duplicate_of, outcome_hour_us, outcome_late";
    private static final String INSERT = "INSERT INTO decisions (" + COLUMNS + ", " + INSIGHT_COLUMNS + ", "
            + OUTCOME_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT DO NOTHING";
    private static final String UPDATE_OUTCOME = "UPDATE decisions SET outcome_state = ?, outcome_duplicate_of = ?, "
            + "outcome_hour_us = ?, outcome_late = ? WHERE correlation_id = ?";

    /** Static SQL of this store. */
    public interface Dao {
        @SqlQuery("SELECT " + COLUMNS + " FROM decisions WHERE correlation_id = :id")
        @RegisterRowMapper(DecisionMapper.class)
        Optional<StoredDecision> find(@Bind("id") String correlationId);
    }

    private final Db db;

    JdbiDecisionStore(Db db) {
        this.db = db;
    }

    @Override
    public List<InsertResult> insertDecisions(List<NewDecision> decisions) {
        if (decisions.isEmpty()) {
            return List.of();
        }
        int[] counts = db.call("insert decisions", h -> RowInserts.insertIfAbsent(h, db.dialect(), INSERT, decisions,
                Comparator.comparing((NewDecision n) -> n.decision().correlationId()), "correlation_id",
                n -> List.of(n.decision().correlationId().value()), (b, n) -> {
                    StoredDecision d = n.decision();
                    bindOutcome(b.bind(0, d.correlationId().value())
                                .bind(1, d.taskId().value())
                                .bind(2, d.agentId().value())
                                .bind(3, d.subscription().value())
                                .bind(4, d.dimension().value())
                                .bind(5, d.planId().value())
                                .bind(6, d.kind().name())
                                .bind(7, Micros.of(d.occurredAt()))
                                .bind(8, Micros.of(d.receivedAt()))
                                .bind(9, d.decision().billable())
                                .bind(10, d.decision().contractVersion())
                                .bind(11, d.decision().evidenceSha256())
                                .bind(12, JsonColumns.evidence(d.evidence()))
                                .bind(13, JsonColumns.decision(d.decision()))
                                .bind(14, JsonColumns.stringMap(d.metadata()))
                                .bind(15, d.evidenceCanonicalization().label())
                                .bind(16, d.metadata().get(StoredDecision.AGENT_VERSION))
                                .bind(17, d.decision().failingGate().map(Gate::code).orElse(null))
                                .bind(18, d.evidence().complete()), 19, n.expectedOutcome());
                }));
        return RowInserts.insertResults(counts);
    }

    @Override
    public void updateOutcomes(List<OutcomeRecord> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        db.run("update decision outcomes", h -> {
            int[] counts = Batches.execute(h, UPDATE_OUTCOME, outcomes, Comparator.comparing(OutcomeRecord::correlationId),
                    (b, o) -> bindOutcome(b, 0, o).bind(4, o.correlationId().value()));
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 1) {
                    throw new IllegalStateException("no decision " + outcomes.get(i).correlationId() + " for its outcome");
                }
            }
        });
    }

    /**
     * Binds the four outcome columns from {@code first} on: the state the charge was created in, the decision holding
     * the charge of a duplicate, and where it counts; a case that has no such thing stores NULL (false for late).
     */
    private static Batches.Row bindOutcome(Batches.Row b, int first, OutcomeRecord outcome) {
        ChargeState state = null;
        BillingHour hour = null;
        boolean late = false;
        CorrelationId duplicateOf = null;
        if (outcome instanceof OutcomeRecord.Charged charged) {
            state = ChargeState.QUALIFIED;
            hour = charged.billingHour();
            late = charged.late();
        } else if (outcome instanceof OutcomeRecord.HeldForReview held) {
            state = ChargeState.PENDING_REVIEW;
            hour = held.billingHour();
            late = held.late();
        } else if (outcome instanceof OutcomeRecord.Duplicate duplicate) {
            duplicateOf = duplicate.originalCorrelationId();
        }
        return b.bind(first, state == null ? null : state.name())
                .bind(first + 1, duplicateOf == null ? null : duplicateOf.value())
                .bind(first + 2, hour == null ? null : Micros.of(hour.start()))
                .bind(first + 3, late);
    }

    @Override
    public Optional<StoredDecision> findDecision(CorrelationId correlationId) {
        return db.call("find decision", h -> h.attach(Dao.class).find(correlationId.value()));
    }

    @Override
    public Map<CorrelationId, OutcomeRecord> findOutcomes(Collection<CorrelationId> correlationIds) {
        Map<CorrelationId, OutcomeRecord> out = new HashMap<>();
        for (List<String> chunk : idChunks(correlationIds)) {
            db.call("find outcomes", h -> h.createQuery("SELECT correlation_id, " + OUTCOME_COLUMNS
                            + " FROM decisions WHERE correlation_id IN (<ids>)")
                    .bindList("ids", chunk)
                    .map(JdbiDecisionStore::outcome)
                    .list()).forEach(o -> out.put(o.correlationId(), o));
        }
        return out;
    }

    @Override
    public Map<CorrelationId, StoredDecision> findDecisions(Collection<CorrelationId> correlationIds) {
        Map<CorrelationId, StoredDecision> out = new HashMap<>();
        for (List<String> chunk : idChunks(correlationIds)) {
            db.call("find decisions", h -> h.createQuery("SELECT " + COLUMNS + " FROM decisions WHERE correlation_id IN (<ids>)")
                    .bindList("ids", chunk)
                    .map(new DecisionMapper())
                    .list()).forEach(d -> out.put(d.correlationId(), d));
        }
        return out;
    }

    @Override
    public List<StoredDecision> findDecisionsOccurred(DecisionWindowQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM decisions WHERE kind = :kind"
                + " AND occurred_at_us >= :from AND occurred_at_us < :to");
        if (!query.subscriptions().isEmpty()) {
            sql.append(" AND subscription_ref IN (<subs>)");
        }
        if (query.afterOccurredAt() != null) {
            sql.append(" AND (occurred_at_us > :afterAt OR occurred_at_us = :afterAt AND correlation_id > :afterId)");
        }
        sql.append(" ORDER BY occurred_at_us, correlation_id LIMIT :limit");
        return db.call("find decisions occurred", h -> {
            Query q = h.createQuery(sql.toString())
                    .bind("kind", DecisionKind.METERED.name())
                    .bind("from", Micros.of(query.from()))
                    .bind("to", Micros.of(query.to()))
                    .bind("limit", query.limit());
            if (!query.subscriptions().isEmpty()) {
                q.bindList("subs", query.subscriptions().stream().map(SubscriptionRef::value).sorted().toList());
            }
            if (query.afterOccurredAt() != null) {
                q.bind("afterAt", Micros.of(query.afterOccurredAt())).bind("afterId", query.afterCorrelationId().value());
            }
            return q.map(new DecisionMapper()).list();
        });
    }

    static List<List<String>> idChunks(Collection<CorrelationId> ids) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(ids.stream().map(CorrelationId::value).toList()));
        return Batches.chunks(distinct, Batches.IN_CHUNK);
    }

    static OutcomeRecord outcome(ResultSet rs, StatementContext ctx) throws SQLException {
        CorrelationId id = new CorrelationId(rs.getString("correlation_id"));
        String duplicateOf = rs.getString("outcome_duplicate_of");
        if (duplicateOf != null) {
            return new OutcomeRecord.Duplicate(id, new CorrelationId(duplicateOf));
        }
        String state = rs.getString("outcome_state");
        if (state == null) {
            return new OutcomeRecord.NotBillable(id);
        }
        BillingHour hour = new BillingHour(Micros.toInstant(rs.getLong("outcome_hour_us")));
        boolean late = rs.getBoolean("outcome_late");
        return switch (ChargeState.valueOf(state)) {
            case QUALIFIED -> new OutcomeRecord.Charged(id, hour, late);
            case PENDING_REVIEW -> new OutcomeRecord.HeldForReview(id, hour, late);
            default -> throw new IllegalStateException("decision " + id + " stored outcome state " + state);
        };
    }

    /** Maps a decisions row. */
    public static final class DecisionMapper implements RowMapper<StoredDecision> {
        @Override
        public StoredDecision map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new StoredDecision(
                    new CorrelationId(rs.getString("correlation_id")),
                    new TaskId(rs.getString("task_id")),
                    new AgentId(rs.getString("agent_id")),
                    new SubscriptionRef(rs.getString("subscription_ref")),
                    new Dimension(rs.getString("dimension")),
                    new PlanId(rs.getString("plan_id")),
                    DecisionKind.valueOf(rs.getString("kind")),
                    Micros.toInstant(rs.getLong("occurred_at_us")),
                    Micros.toInstant(rs.getLong("received_at_us")),
                    JsonColumns.evidence(rs.getString("evidence_json")),
                    JsonColumns.decision(rs.getString("decision_json"), rs.getString("contract_version"),
                            rs.getString("evidence_sha256")),
                    JsonColumns.stringMap(rs.getString("metadata_json")),
                    EvidenceCanonicalization.ofLabel(rs.getString("evidence_canonicalization")));
        }
    }

}
