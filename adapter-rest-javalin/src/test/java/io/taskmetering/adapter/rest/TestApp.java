package io.taskmetering.adapter.rest;

import io.taskmetering.application.port.in.CreateContractVersionCommand;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskmetering.adapter.persistence.PersistenceModule;
import io.taskmetering.application.service.BillingPolicy;
import io.taskmetering.application.service.MeteringUseCases;
import io.taskmetering.application.testing.ScriptedMarketplace;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.testdata.MutableClock;
import io.taskmetering.domain.usage.RetentionPolicy;
import io.taskmetering.domain.trace.TraceMapping;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The real stack for HTTP tests: the application's one wiring ({@link MeteringUseCases}, single outcomes through the
 * group commit as in the service) over the H2 persistence adapter (a fresh in-memory database per app), the
 * application tests' {@link ScriptedMarketplace} (accepting every event), and the REST API on a random port, with
 * the test API keys. Time is a settable clock.
 *
 * <p>A JUnit extension: registered as {@code @RegisterExtension static final TestApp app = new TestApp();} it starts
 * before the class's tests and stops after them. An app for one test is {@code new TestApp(...).start()}, closed by
 * the test.
 */
final class TestApp implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    static final Instant START = Instant.parse("2026-03-02T10:20:00Z");

    static final String ADMIN = "admin-key-000000000001";
    static final String ADMIN_A = "admin-a-key-0000000001";
    static final String AGENT_A = "agent-a-key-0000000001";
    static final String AGENT_B = "agent-b-key-0000000001";
    static final String AGENT_ALL = "agent-all-key-00000001";
    static final String READER_A = "reader-a-key-000000001";
    static final String READER_B = "reader-b-key-000000001";

    static List<ApiKeyConfig> keys() {
        return List.of(
                new ApiKeyConfig("admin", ADMIN, Role.ADMIN, Set.of()),
                new ApiKeyConfig("admin-a", ADMIN_A, Role.ADMIN, Set.of("sub-a")),
                new ApiKeyConfig("agent-a", AGENT_A, Role.AGENT, Set.of("sub-a")),
                new ApiKeyConfig("agent-b", AGENT_B, Role.AGENT, Set.of("sub-b")),
                new ApiKeyConfig("agent-all", AGENT_ALL, Role.AGENT, Set.of()),
                new ApiKeyConfig("reader-a", READER_A, Role.READER, Set.of("sub-a")),
                new ApiKeyConfig("reader-b", READER_B, Role.READER, Set.of("sub-b")));
    }

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final MeteringUseCases.Settings SETTINGS = new MeteringUseCases.Settings("rest-test",
            Duration.ofMinutes(5), Duration.ofMinutes(30), RetentionPolicy.days(30),
            TraceMapping.defaults());

    final MutableClock clock = new MutableClock(START);
    /** Accepts every event by default; the HTTP tests cannot see the JDBC transaction, so they never report one open. */
    final ScriptedMarketplace marketplace = new ScriptedMarketplace(clock, () -> false);
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    volatile boolean ready = true;
    /** {@code /health} answers 503 once storage has been unavailable longer than this (as the service's default). */
    final Duration livenessLimit = Duration.ofMinutes(5);
    private String databaseUrl;
    private final RestConfig config;
    private final BillingPolicy policy;
    private final UnaryOperator<UseCases> adjust;
    PersistenceModule persistence;
    String jdbcUrl;
    private Connection rowCountConnection;
    private String rowCountQuery;
    MeteringUseCases useCases;
    RestApi api;
    int port;

    TestApp() {
        this(RestConfig.withKeys(keys()), BillingPolicy.defaults(PlanId.of("plan-basic")));
    }

    TestApp(RestConfig config, BillingPolicy policy) {
        this(config, policy, UnaryOperator.identity());
    }

    /** With {@code adjust} replacing some use cases, e.g. by ones that fail on purpose. */
    TestApp(RestConfig config, BillingPolicy policy, UnaryOperator<UseCases> adjust) {
        this.config = config;
        this.policy = policy;
        this.adjust = adjust;
    }

    /** On the given database instead of a fresh in-memory one. */
    TestApp onDatabase(String url) {
        this.databaseUrl = url;
        return this;
    }

    /** Opens a fresh database, wires the application and starts the API on a random port. */
    TestApp start() {
        jdbcUrl = databaseUrl != null ? databaseUrl : "jdbc:h2:mem:rest" + DATABASES.incrementAndGet();
        persistence = PersistenceModule.start(jdbcUrl, "sa", "", 4, clock);
        useCases = new MeteringUseCases(persistence.ports(), marketplace, Optional.of(marketplace), clock,
                () -> UUID.randomUUID().toString(), policy, SETTINGS);
        // As the service does at start-up: the configured contract is the stored bootstrap version.
        useCases.createContractVersion().create(new CreateContractVersionCommand(policy.contract()));
        MeteringUseCases u = useCases;
        api = new RestApi(adjust.apply(new UseCases(u.recordOutcome(), u.recordOutcomeBatch(), u.evaluateOutcome(),
                u.reviewCharge(), u.disputeCharge(), u.resolveDispute(), u.closeHours(), u.submitUsageEvents(),
                u.recordUsage(), u.purgeExpired(), u.charges(), u.usage(), u.usageEvents(),
                u.createContractVersion(), u.activateContract(), u.contracts(), u.startShadow(), u.stopShadow(),
                u.shadows(), u.replays(), u.insights(), u.reconcile(), u.reconciliations(), u.ingestTraces())),
                config, registry, () -> ready && persistence.ready(),
                () -> persistence.unavailableFor().compareTo(livenessLimit) <= 0, clock);
        api.metrics().registerStorageOutage(() -> persistence.unavailableFor().toMillis() / 1000.0);
        port = api.start(0);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Stops the API, then the use cases, then the database, as the service does. */
    @Override
    public void close() {
        if (rowCountConnection != null) {
            try {
                rowCountConnection.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        api.stop();
        useCases.close();
        persistence.close();
    }

    /** The number of rows of every table of the (in-memory) database, by table name, over one kept connection. */
    synchronized Map<String, Long> rowCounts() {
        try {
            if (rowCountConnection == null) {
                rowCountConnection = DriverManager.getConnection(jdbcUrl, "sa", "");
                List<String> counts = new ArrayList<>();
                try (Statement statement = rowCountConnection.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
                             + " WHERE LOWER(TABLE_SCHEMA) = 'public' AND TABLE_TYPE = 'BASE TABLE'")) {
                    while (rs.next()) {
                        counts.add("SELECT '" + rs.getString(1) + "', COUNT(*) FROM \"" + rs.getString(1) + "\"");
                    }
                }
                if (counts.size() < 5) {
                    throw new IllegalStateException("the schema's tables were not found: " + counts);
                }
                rowCountQuery = String.join(" UNION ALL ", counts);
            }
            Map<String, Long> counts = new TreeMap<>();
            try (Statement statement = rowCountConnection.createStatement();
                 ResultSet rs = statement.executeQuery(rowCountQuery)) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
            return counts;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- HTTP --------------------------------------------------------------------------------------------------

    /** A response with its body parsed as JSON when it is JSON. */
    record Resp(int status, HttpResponse<byte[]> raw) {
        String text() {
            return new String(raw.body(), StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return MAPPER.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text(), e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        String contentType() {
            return header("Content-Type");
        }

        /** The fields named by a problem's errors. */
        List<String> errorFields() {
            List<String> fields = new ArrayList<>();
            json().path("errors").forEach(e -> fields.add(e.path("field").asText()));
            return fields;
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    Resp send(HttpRequest.Builder builder) {
        try {
            HttpResponse<byte[]> response = http.send(builder.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Resp(response.statusCode(), response);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    Resp get(String path, String key) {
        return send(request(path, key).GET());
    }

    Resp post(String path, String key, String json) {
        return postBytes(path, key, json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8));
    }

    Resp postBytes(String path, String key, byte[] body) {
        return send(request(path, key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
