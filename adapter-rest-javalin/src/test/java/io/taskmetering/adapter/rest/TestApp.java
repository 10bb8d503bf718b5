package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskmetering.adapter.persistence.PersistenceModule;
import io.taskmetering.application.model.SubmissionResult;
import io.taskmetering.application.model.SubmissionStatus;
import io.taskmetering.application.port.out.IdGenerator;
import io.taskmetering.application.port.out.MarketplaceSubmissionPort;
import io.taskmetering.application.port.out.OutcomePorts;
import io.taskmetering.application.service.AggregateUsageService;
import io.taskmetering.application.service.BacklogService;
import io.taskmetering.application.service.BillingPolicy;
import io.taskmetering.application.service.CloseHoursService;
import io.taskmetering.application.service.DisputeChargeService;
import io.taskmetering.application.service.EvaluateOutcomeService;
import io.taskmetering.application.service.ExportUsageService;
import io.taskmetering.application.service.GetEvidenceBundleService;
import io.taskmetering.application.service.GetTaskUsageService;
import io.taskmetering.application.service.ListAnomaliesService;
import io.taskmetering.application.service.ListChargesService;
import io.taskmetering.application.service.ListCreditsService;
import io.taskmetering.application.service.ListUsageEventsService;
import io.taskmetering.application.service.ListUsageService;
import io.taskmetering.application.service.PurgeExpiredService;
import io.taskmetering.application.service.RecordOutcomeBatchService;
import io.taskmetering.application.service.RecordOutcomeService;
import io.taskmetering.application.service.RecordUsageBatchService;
import io.taskmetering.application.service.RecordUsageService;
import io.taskmetering.application.service.ResolveDisputeService;
import io.taskmetering.application.service.ReviewChargeService;
import io.taskmetering.application.service.SubmitUsageEventsService;
import io.taskmetering.application.service.SummarizeUsageService;
import io.taskmetering.application.service.UsageStatsService;
import io.taskmetering.domain.billing.UsageEvent;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.usage.RetentionPolicy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The real stack for HTTP tests: the application services over the H2 persistence adapter (a fresh in-memory
 * database per app), a dry-run Marketplace fake, and the REST API on a random port. Time is a settable clock.
 */
final class TestApp implements AutoCloseable {
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

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(START);

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void set(Instant instant) {
            now.set(instant);
        }

        void advance(Duration duration) {
            now.updateAndGet(i -> i.plus(duration));
        }
    }

    /** Accepts every event, as the dry-run client would, and remembers what it was sent. */
    static final class FakeMarketplace implements MarketplaceSubmissionPort {
        final List<UsageEvent> sent = new CopyOnWriteArrayList<>();

        @Override
        public List<SubmissionResult> submit(List<UsageEvent> events) {
            sent.addAll(events);
            List<SubmissionResult> results = new ArrayList<>();
            for (UsageEvent event : events) {
                results.add(new SubmissionResult(event.key(), SubmissionStatus.ACCEPTED, event.toMarketplaceJson(),
                        "usage-" + UUID.randomUUID(), Instant.now(), null, null, null, List.of()));
            }
            return results;
        }
    }

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    final MutableClock clock = new MutableClock();
    final FakeMarketplace marketplace = new FakeMarketplace();
    final PersistenceModule persistence;
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final RestApi api;
    final int port;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    volatile boolean ready = true;

    TestApp() {
        this(RestConfig.withKeys(keys()), BillingPolicy.defaults(PlanId.of("plan-basic")));
    }

    TestApp(RestConfig config, BillingPolicy policy) {
        this(config, policy, java.util.function.UnaryOperator.identity());
    }

    /** With {@code adjust} replacing some use cases, e.g. by ones that fail on purpose. */
    TestApp(RestConfig config, BillingPolicy policy, java.util.function.UnaryOperator<UseCases> adjust) {
        persistence = PersistenceModule.start("jdbc:h2:mem:rest" + DATABASES.incrementAndGet(), "sa", "", 4, clock);
        api = new RestApi(adjust.apply(useCases(persistence, policy)), config, registry, readiness());
        port = api.start(0);
    }

    private BooleanSupplier readiness() {
        return () -> ready && persistence.ready();
    }

    private UseCases useCases(PersistenceModule p, BillingPolicy policy) {
        IdGenerator ids = () -> UUID.randomUUID().toString();
        RetentionPolicy retention = RetentionPolicy.days(30);
        // built here, not by the persistence adapter: adapters do not know the application's services
        OutcomePorts ports = new OutcomePorts(p.unitOfWork(), p.saveDecisions(), p.loadDecisions(), p.saveCharges(),
                p.ledger(), p.hourBuckets(), p.capCounters(), p.anomalies(), p.usageRecords());
        return new UseCases(
                new RecordOutcomeService(ports, ids, clock, policy),
                new RecordOutcomeBatchService(ports, ids, clock, policy),
                new EvaluateOutcomeService(ports, ids, clock, policy),
                new GetEvidenceBundleService(p.loadDecisions(), p.loadCharges(), p.ledger(), p.usageEventOutbox(), policy),
                new ListChargesService(p.loadCharges()),
                new ReviewChargeService(ports, p.loadCharges(), p.usageEventOutbox(), clock, policy),
                new DisputeChargeService(ports, p.loadCharges(), p.usageEventOutbox(), clock, policy),
                new ResolveDisputeService(ports, p.loadCharges(), p.usageEventOutbox(), clock, policy),
                new ListCreditsService(p.ledger()),
                new ListAnomaliesService(p.anomalies()),
                new ListUsageEventsService(p.usageEventOutbox()),
                new CloseHoursService(p.unitOfWork(), p.hourBuckets(), p.usageEventOutbox(), clock, policy),
                new SubmitUsageEventsService(p.unitOfWork(), p.usageEventOutbox(), p.invoiceHour(), p.anomalies(),
                        marketplace, ids, clock, policy, "rest-test", Duration.ofMinutes(5), Duration.ofMinutes(30)),
                new RecordUsageService(p.unitOfWork(), p.usageRecords()),
                new RecordUsageBatchService(p.unitOfWork(), p.usageRecords()),
                new ListUsageService(p.usageRecords()),
                new GetTaskUsageService(p.usageRecords()),
                new AggregateUsageService(p.usageRecords()),
                new SummarizeUsageService(p.usageRecords()),
                new ExportUsageService(p.usageRecords()),
                new UsageStatsService(p.usageRecords(), retention),
                new PurgeExpiredService(p.unitOfWork(), p.retentionPurge(), retention, clock),
                new BacklogService(p.loadCharges(), p.usageEventOutbox()));
    }

    @Override
    public void close() {
        api.stop();
        persistence.close();
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
