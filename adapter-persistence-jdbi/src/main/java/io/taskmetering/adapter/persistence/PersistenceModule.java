package io.taskmetering.adapter.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import io.taskmetering.application.port.out.AnomalyPort;
import io.taskmetering.application.port.out.CapCounterPort;
import io.taskmetering.application.port.out.HourBucketPort;
import io.taskmetering.application.port.out.LedgerPort;
import io.taskmetering.application.port.out.LoadChargesPort;
import io.taskmetering.application.port.out.LoadDecisionsPort;
import io.taskmetering.application.port.out.RetentionPurgePort;
import io.taskmetering.application.port.out.SaveChargesPort;
import io.taskmetering.application.port.out.SaveDecisionsPort;
import io.taskmetering.application.port.out.StoragePorts;
import io.taskmetering.application.port.out.UnitOfWork;
import io.taskmetering.application.port.out.UsageRecordPort;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The persistence adapter, assembled: migrates the schema with Flyway, opens a HikariCP pool, builds Jdbi and exposes
 * every storage port. Bootstrap calls {@link #start} once with a JDBC URL ({@code jdbc:h2:file:…}, {@code jdbc:h2:mem:…}
 * or {@code jdbc:postgresql://…}) and {@link #close} on shutdown. The URL may carry a password, so this module never
 * logs it nor puts it in a message; bootstrap shows it, redacted, where it names the database.
 *
 * <p>When the database becomes unavailable (a full disk under an H2 file, which makes H2 close the database; a
 * PostgreSQL server that went away) every operation fails with a retryable {@link PersistenceException}, the pool drops
 * its connections, and the module recovers by itself once the database takes writes again: see
 * {@link StorageAvailability} and {@link #unavailableFor()}.
 */
public final class PersistenceModule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PersistenceModule.class);

    private final HikariDataSource dataSource;
    private final Clock clock;
    private final boolean embeddedH2File;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final StorageAvailability availability;
    private final Db db;
    private final JdbiUnitOfWork unitOfWork;
    private final JdbiDecisionStore decisions;
    private final JdbiChargeStore charges;
    private final JdbiLedger ledger;
    private final JdbiHourBuckets buckets;
    private final JdbiCapCounters capCounters;
    private final JdbiAnomalies anomalies;
    private final JdbiUsageEventOutbox outbox;
    private final JdbiUsageRecords usageRecords;
    private final JdbiRetentionPurge purge;
    private final JdbiContracts contracts;
    private final JdbiShadows shadows;
    private final JdbiReconciliations reconciliations;
    private final JdbiTraceSpans traceSpans;

    private PersistenceModule(HikariDataSource dataSource, Dialect dialect, boolean embeddedH2File, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.embeddedH2File = embeddedH2File;
        this.availability = new StorageAvailability(clock, () -> dataSource.getHikariPoolMXBean().softEvictConnections(),
                this::probeWrite);
        this.db = new Db(Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()), dialect, availability::failed);
        this.unitOfWork = new JdbiUnitOfWork(db);
        this.decisions = new JdbiDecisionStore(db);
        this.charges = new JdbiChargeStore(db);
        this.ledger = new JdbiLedger(db);
        this.buckets = new JdbiHourBuckets(db, clock);
        this.capCounters = new JdbiCapCounters(db);
        this.anomalies = new JdbiAnomalies(db);
        this.outbox = new JdbiUsageEventOutbox(db);
        this.usageRecords = new JdbiUsageRecords(db);
        this.purge = new JdbiRetentionPurge(db);
        this.contracts = new JdbiContracts(db);
        this.shadows = new JdbiShadows(db);
        this.reconciliations = new JdbiReconciliations(db);
        this.traceSpans = new JdbiTraceSpans(db);
    }

    /** Migrates the schema and opens a pool of {@code poolSize} connections. */
    public static PersistenceModule start(String jdbcUrl, String user, String password, int poolSize) {
        return start(jdbcUrl, user, password, poolSize, Clock.systemUTC());
    }

    public static PersistenceModule start(String jdbcUrl, String user, String password, int poolSize, Clock clock) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(clock, "clock");
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
        }
        Dialect dialect = Dialect.fromJdbcUrl(jdbcUrl);
        String url = dialect == Dialect.H2 ? h2Url(jdbcUrl) : postgresUrl(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(poolSize, 2));
        config.setPoolName("metering-" + dialect.name().toLowerCase(Locale.ROOT));
        config.setAutoCommit(true);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // A request waits this long for a connection before it is answered 503 (the database is gone, or busy).
        config.setConnectionTimeout(10_000);
        config.setExceptionOverride(EVICT_WHEN_UNAVAILABLE);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            LOG.info("schema migrated: database={} migrations_executed={} schema_version={} pool_size={}",
                    dialect, result.migrationsExecuted, result.targetSchemaVersion, poolSize);
            return new PersistenceModule(dataSource, dialect, isEmbeddedH2File(jdbcUrl), clock);
        } catch (RuntimeException e) {
            dataSource.close();
            throw new PersistenceException("cannot start persistence: " + e.getMessage(), null, false, e);
        }
    }

    /**
     * HikariCP drops a connection that failed with a connection error (SQLSTATE class 08, PostgreSQL's shutdown
     * codes) by itself; a connection to an H2 database that H2 closed after a failed write still says it is valid, so
     * every failure that says the database is unavailable drops the connection it came from.
     */
    private static final SQLExceptionOverride EVICT_WHEN_UNAVAILABLE = new SQLExceptionOverride() {
        // no @Override: inside this class the name is SQLExceptionOverride's nested enum
        public SQLExceptionOverride.Override adjudicate(SQLException e) {
            return SqlErrors.unavailable(e.getSQLState(), e) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
        }
    };

    /** An H2 database in a file this process opens itself (not in memory, not an H2 server other processes share). */
    static boolean isEmbeddedH2File(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:h2:mem:") && !lower.startsWith("jdbc:h2:tcp:")
                && !lower.startsWith("jdbc:h2:ssl:") && !lower.startsWith("jdbc:h2:zip:");
    }

    /**
     * H2 runs the schema in PostgreSQL mode with lower-case identifiers; an in-memory database lives until the module
     * closes; lock waits are bounded (a transaction that times out is retried by the unit of work). A file database
     * writes every commit to the file before the commit returns ({@code WRITE_DELAY=0}; H2's default of 500 ms would
     * let a killed process lose transactions it had already reported committed). H2 does not close the database from
     * its own JVM shutdown hook ({@code DB_CLOSE_ON_EXIT=FALSE}): on SIGTERM the service's hook first finishes the
     * requests in flight and the submission in progress, then {@link #close()} closes the pool and with it the database;
     * H2's hook would otherwise close it underneath them, failing them half-way. With commits written through, H2
     * leaves superseded pages in the file while it runs, which {@link #close()} compacts away.
     */
    static String h2Url(String url) {
        StringBuilder out = new StringBuilder(url);
        String upper = url.toUpperCase(Locale.ROOT);
        appendIfAbsent(out, upper, "MODE", "PostgreSQL");
        appendIfAbsent(out, upper, "DATABASE_TO_LOWER", "TRUE");
        appendIfAbsent(out, upper, "DEFAULT_NULL_ORDERING", "HIGH");
        appendIfAbsent(out, upper, "LOCK_TIMEOUT", "10000");
        appendIfAbsent(out, upper, "DB_CLOSE_ON_EXIT", "FALSE");
        if (upper.startsWith("JDBC:H2:MEM:")) {
            appendIfAbsent(out, upper, "DB_CLOSE_DELAY", "-1");
        } else {
            appendIfAbsent(out, upper, "WRITE_DELAY", "0");
        }
        return out.toString();
    }

    private static void appendIfAbsent(StringBuilder url, String upper, String key, String value) {
        if (!upper.contains(";" + key + "=")) {
            url.append(';').append(key).append('=').append(value);
        }
    }

    private static String postgresUrl(String url) {
        if (url.toLowerCase(Locale.ROOT).contains("rewritebatchedinserts=true")) {
            throw new IllegalArgumentException("reWriteBatchedInserts must stay off: idempotent inserts read per-row update counts");
        }
        return url;
    }

    /**
     * Whether the database serves (for a readiness probe): no outage is going on and it answers a query. Never throws.
     */
    public boolean ready() {
        if (availability.unavailableSince().isPresent()) {
            return false;
        }
        try {
            return db.call("readiness check", h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            LOG.warn("persistence not ready: error={}", e.getMessage());
            return false;
        }
    }

    /**
     * How long the current storage outage has lasted, from the first failure that said the database is unavailable to
     * now on the module's clock; zero while the database takes writes. The outage ends when a probe write commits.
     */
    public Duration unavailableFor() {
        return availability.unavailableSince().map(since -> Duration.between(since, clock.instant()))
                .orElse(Duration.ZERO);
    }

    /** The write that ends an outage: one row rewritten and committed, on the writers' turn like any unit of work. */
    private boolean probeWrite() {
        try {
            unitOfWork.run(() -> db.run("storage probe",
                    h -> h.createUpdate("UPDATE storage_probe SET probes = probes + 1 WHERE id = 1").execute()));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // idempotent: a second close must not try to compact a database that is closed already
        }
        availability.close();
        if (embeddedH2File) {
            compactH2File();
        }
        LOG.info("closing persistence pool: pool={}", dataSource.getPoolName());
        dataSource.close();
    }

    /**
     * With commits written through, H2 leaves superseded pages in the file while it runs and does not reclaim them
     * online (measured with {@code bench}: 1.08 GB of file after 200,000 outcomes, 150 MB of it live). Closing with
     * {@code SHUTDOWN COMPACT} rewrites the live pages into a new file, which replaces the old one atomically (H2
     * finishes or discards a half-done replacement when it next opens the file): 3 s for that database. H2's own
     * bounded compaction on close ({@code MAX_COMPACT_TIME}) left the same file at 1.1 GB.
     */
    private void compactH2File() {
        long started = System.nanoTime();
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.createStatement().execute("SHUTDOWN COMPACT");
            LOG.info("H2 database compacted on close: millis={}", (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException e) {
            LOG.warn("H2 database not compacted on close, it stays as it was: error={}", e.getMessage());
        } finally {
            if (connection != null) {
                // The database behind it is closed now; the pool drops the connection without resetting it.
                dataSource.evictConnection(connection);
            }
        }
    }

    public UnitOfWork unitOfWork() {
        return unitOfWork;
    }

    public SaveDecisionsPort saveDecisions() {
        return decisions;
    }

    public LoadDecisionsPort loadDecisions() {
        return decisions;
    }

    public SaveChargesPort saveCharges() {
        return charges;
    }

    public LoadChargesPort loadCharges() {
        return charges;
    }

    public LedgerPort ledger() {
        return ledger;
    }

    public HourBucketPort hourBuckets() {
        return buckets;
    }

    public CapCounterPort capCounters() {
        return capCounters;
    }

    public AnomalyPort anomalies() {
        return anomalies;
    }

    /** The usage-event outbox with all its capabilities, for tests in this package. */
    JdbiUsageEventOutbox usageEventOutbox() {
        return outbox;
    }

    public UsageRecordPort usageRecords() {
        return usageRecords;
    }

    public RetentionPurgePort retentionPurge() {
        return purge;
    }

    /** Every storage port, for the application's wiring. */
    public StoragePorts ports() {
        return new StoragePorts(unitOfWork, decisions, decisions, charges, charges, charges, ledger, buckets, capCounters,
                anomalies, usageRecords, outbox, outbox, outbox, outbox, purge, contracts, contracts, contracts,
                shadows, shadows, new JdbiInsights(db), reconciliations, reconciliations, traceSpans, traceSpans,
                traceSpans);
    }

    /** The Jdbi of this module, for tests and tools in this package. */
    Jdbi jdbi() {
        return db.jdbi();
    }

    /** Which database this module runs on: {@code H2} or {@code POSTGRESQL}. */
    public String databaseKind() {
        return db.dialect().name();
    }
}
