package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.ContractVersion;
import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.StoredActivation;
import io.taskmetering.application.port.out.LoadContractsPort;
import io.taskmetering.application.port.out.SaveActivationsPort;
import io.taskmetering.application.port.out.SaveContractVersionsPort;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.contract.ContractActivation;
import io.taskmetering.domain.contract.ContractScope;
import io.taskmetering.domain.evaluation.ContractConfig;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Contract versions and activations. Both are insert-only: the primary key decides whether a row went in
 * ({@code ON CONFLICT DO NOTHING}), and the application compares what it meets.
 */
final class JdbiContracts implements SaveContractVersionsPort, SaveActivationsPort, LoadContractsPort {
    private static final String VERSION_COLUMNS = "version, required_output_keys, require_approval, "
            + "require_intent_resolution, intent_resolution_threshold, hold_ambiguous_for_review, created_at_us";
    private static final String ACTIVATION_COLUMNS = "scope, subscription_ref, effective_from_us, version, created_at_us";
    private static final String GLOBAL = "global";
    private static final String SUBSCRIPTION = "subscription";

    private final Db db;

    JdbiContracts(Db db) {
        this.db = db;
    }

    @Override
    public InsertResult insertVersion(ContractVersion version) {
        ContractConfig c = version.settings();
        int inserted = db.call("insert contract version", h -> h.createUpdate("INSERT INTO contract_versions ("
                        + VERSION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .bind(0, c.version())
                .bind(1, JsonColumns.strings(c.requiredOutputKeys()))
                .bind(2, c.requireApproval())
                .bind(3, c.requireIntentResolution())
                .bind(4, c.intentResolutionThreshold())
                .bind(5, c.holdAmbiguousForReview())
                .bind(6, Micros.of(version.createdAt()))
                .execute());
        return inserted == 1 ? InsertResult.INSERTED : InsertResult.ALREADY_PRESENT;
    }

    @Override
    public InsertResult insertActivation(StoredActivation stored) {
        ContractActivation a = stored.activation();
        int inserted = db.call("insert contract activation", h -> h.createUpdate("INSERT INTO contract_activations ("
                        + ACTIVATION_COLUMNS + ") VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .bind(0, scopeName(a.scope()))
                .bind(1, subscriptionKey(a.scope()))
                .bind(2, Micros.of(a.effectiveFrom()))
                .bind(3, a.version())
                .bind(4, Micros.of(stored.createdAt()))
                .execute());
        return inserted == 1 ? InsertResult.INSERTED : InsertResult.ALREADY_PRESENT;
    }

    @Override
    public Optional<ContractVersion> findVersion(String version) {
        return db.call("find contract version", h -> h.createQuery("SELECT " + VERSION_COLUMNS
                        + " FROM contract_versions WHERE version = :version")
                .bind("version", version)
                .map(new VersionMapper())
                .findOne());
    }

    @Override
    public List<ContractVersion> findVersions() {
        return db.call("find contract versions", h -> h.createQuery("SELECT " + VERSION_COLUMNS
                        + " FROM contract_versions ORDER BY version")
                .map(new VersionMapper())
                .list());
    }

    @Override
    public List<StoredActivation> findActivations() {
        return db.call("find contract activations", h -> h.createQuery("SELECT " + ACTIVATION_COLUMNS
                        + " FROM contract_activations ORDER BY scope, subscription_ref, effective_from_us")
                .map(new ActivationMapper())
                .list());
    }

    @Override
    public Optional<StoredActivation> findActivation(ContractScope scope, Instant effectiveFrom) {
        return db.call("find contract activation", h -> h.createQuery("SELECT " + ACTIVATION_COLUMNS
                        + " FROM contract_activations WHERE scope = :scope AND subscription_ref = :subscription"
                        + " AND effective_from_us = :from")
                .bind("scope", scopeName(scope))
                .bind("subscription", subscriptionKey(scope))
                .bind("from", Micros.of(effectiveFrom))
                .map(new ActivationMapper())
                .findOne());
    }

    private static String scopeName(ContractScope scope) {
        return scope.subscriptionOrNull() == null ? GLOBAL : SUBSCRIPTION;
    }

    private static String subscriptionKey(ContractScope scope) {
        SubscriptionRef subscription = scope.subscriptionOrNull();
        return subscription == null ? "" : subscription.value();
    }

    /** Maps a contract_versions row. */
    public static final class VersionMapper implements RowMapper<ContractVersion> {
        @Override
        public ContractVersion map(ResultSet rs, StatementContext ctx) throws SQLException {
            ContractConfig settings = new ContractConfig(rs.getString("version"),
                    JsonColumns.parseStrings(rs.getString("required_output_keys")), rs.getBoolean("require_approval"),
                    rs.getBoolean("require_intent_resolution"), rs.getDouble("intent_resolution_threshold"),
                    rs.getBoolean("hold_ambiguous_for_review"));
            return new ContractVersion(settings, Micros.toInstant(rs.getLong("created_at_us")));
        }
    }

    /** Maps a contract_activations row. */
    public static final class ActivationMapper implements RowMapper<StoredActivation> {
        @Override
        public StoredActivation map(ResultSet rs, StatementContext ctx) throws SQLException {
            ContractScope scope = GLOBAL.equals(rs.getString("scope"))
                    ? ContractScope.global()
                    : ContractScope.of(new SubscriptionRef(rs.getString("subscription_ref")));
            ContractActivation activation = new ContractActivation(scope,
                    Micros.toInstant(rs.getLong("effective_from_us")), rs.getString("version"));
            return new StoredActivation(activation, Micros.toInstant(rs.getLong("created_at_us")));
        }
    }
}
