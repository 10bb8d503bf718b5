package io.taskmetering.bootstrap;

import io.taskmetering.application.model.ChargeQuery;
import io.taskmetering.application.model.Page;
import io.taskmetering.application.port.in.CreateContractVersionCommand;
import io.taskmetering.application.port.in.OutcomeReport;
import io.taskmetering.application.port.in.OutcomeResult;
import io.taskmetering.application.port.in.RecordOutcomeBatchCommand;
import io.taskmetering.application.port.in.RecordOutcomeCommand;
import io.taskmetering.application.port.in.ShadowCommand;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.evaluation.ContractConfig;
import io.taskmetering.domain.evaluation.Evidence;
import io.taskmetering.domain.meter.Outcome;
import io.taskmetering.domain.meter.OutcomeMeter;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives the real stack with synthetic outcomes in the mix of the reference README (70% billable, 15% failed, 8% empty
 * output, 7% retries of earlier tasks) and checks that the database holds exactly the expected charges. Progress goes
 * to stderr; the last line of stdout is one JSON object.
 */
final class Bench {
    private static final int SUBSCRIPTIONS = 10;
    /** The default warm-up is a fifth of the run, at most this many outcomes. */
    static final int MAX_DEFAULT_WARMUP = 50_000;

    private Bench() {
    }

    /** One synthetic report: which task, for which subscription, and how it went. */
    record Spec(String taskId, String subscription, Kind kind) {
    }

    enum Kind { BILLABLE, FAILED, EMPTY }

    /** {@code scratchFile} is the H2 file the bench created for itself (deleted afterwards), null for a given --db. */
    /** {@code encoding} is protobuf or json for {@code --mode otlp}, null for the other modes. */
    record Options(int outcomes, int warmup, String mode, int batch, int concurrency, String db, Path scratchFile,
                   boolean shadow, String encoding) {
    }

    /** The version {@code --shadow on} runs in shadow for every subscription: stricter than the live one (approval). */
    static final ContractConfig SHADOW_VERSION = ContractConfig.defaults().withVersion("bench-shadow-approval")
            .withRequireApproval(true);

    static Options parse(List<String> args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || i + 1 >= args.size()) {
                throw new IllegalArgumentException("bench options are --outcomes N --warmup W "
                        + "--mode in-process|http|embedded|otlp --encoding protobuf|json --batch B --concurrency C "
                        + "--db URL --shadow on|off, got " + arg);
            }
            values.put(arg.substring(2), args.get(++i));
        }
        for (String key : values.keySet()) {
            if (!List.of("outcomes", "warmup", "mode", "batch", "concurrency", "db", "shadow", "encoding").contains(key)) {
                throw new IllegalArgumentException("unknown bench option --" + key);
            }
        }
        String mode = values.getOrDefault("mode", "in-process");
        if (!List.of("in-process", "http", "embedded", "otlp").contains(mode)) {
            throw new IllegalArgumentException("--mode must be in-process, http, embedded or otlp");
        }
        String encoding = values.get("encoding");
        if (mode.equals("otlp")) {
            encoding = encoding == null ? "protobuf" : encoding;
            if (!encoding.equals("protobuf") && !encoding.equals("json")) {
                throw new IllegalArgumentException("--encoding must be protobuf or json");
            }
        } else if (encoding != null) {
            throw new IllegalArgumentException("--encoding is for --mode otlp");
        }
        int outcomes = positive(values, "outcomes", 100_000);
        int warmup = values.containsKey("warmup") ? notNegative(values, "warmup") : Math.min(outcomes / 5, MAX_DEFAULT_WARMUP);
        int batch = positive(values, "batch", 500);
        if (batch > RecordOutcomeBatchCommand.MAX_SIZE) {
            throw new IllegalArgumentException("--batch must be at most " + RecordOutcomeBatchCommand.MAX_SIZE);
        }
        String shadow = values.getOrDefault("shadow", "off");
        if (!shadow.equals("on") && !shadow.equals("off")) {
            throw new IllegalArgumentException("--shadow must be on or off");
        }
        Path scratch = values.containsKey("db") ? null
                : Path.of(System.getProperty("java.io.tmpdir"), "metering-bench-" + UUID.randomUUID()).toAbsolutePath();
        String db = scratch == null ? values.get("db") : "jdbc:h2:file:" + scratch;
        if (mode.equals("otlp") && shadow.equals("on")) {
            throw new IllegalArgumentException("--shadow is for --mode in-process or http");
        }
        return new Options(outcomes, warmup, mode, batch, positive(values, "concurrency", 4), db, scratch,
                shadow.equals("on"), encoding);
    }

    private static int notNegative(Map<String, String> values, String key) {
        try {
            int n = Integer.parseInt(values.get(key));
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a whole number, 0 or more");
        }
    }

    private static int positive(Map<String, String> values, String key, int fallback) {
        try {
            int n = Integer.parseInt(values.getOrDefault(key, Integer.toString(fallback)));
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a positive whole number");
        }
    }

    /** The deterministic workload and how many distinct tasks in it should be billed. */
    static List<Spec> workload(int n, long seed) {
        return workload(n, seed, "");
    }

    /** {@code prefix} keeps the warm-up's tasks and subscriptions apart from the measured run's. */
    static List<Spec> workload(int n, long seed, String prefix) {
        Random random = new Random(seed);
        List<Spec> specs = new ArrayList<>(n);
        List<Spec> billable = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int roll = random.nextInt(100);
            String task = prefix + "task-" + i;
            String subscription = prefix + "sub-bench-" + (i % SUBSCRIPTIONS);
            Spec spec;
            if (roll < 70 || roll >= 93 && billable.isEmpty()) {
                spec = new Spec(task, subscription, Kind.BILLABLE);
                billable.add(spec);
            } else if (roll < 85) {
                spec = new Spec(task, subscription, Kind.FAILED);
            } else if (roll < 93) {
                spec = new Spec(task, subscription, Kind.EMPTY);
            } else {
                spec = billable.get(random.nextInt(billable.size())); // a retry of an earlier, billed task
            }
            specs.add(spec);
        }
        return specs;
    }

    static long expectedBilled(List<Spec> specs) {
        return specs.stream().filter(s -> s.kind() == Kind.BILLABLE).map(Spec::taskId).distinct().count();
    }

    private static Map<String, Object> outputs(Kind kind) {
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("status", kind == Kind.FAILED ? "failed" : "completed");
        outputs.put("result", kind == Kind.EMPTY ? "" : "Summary generated");
        return outputs;
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Options options = parse(args);
        if (options.mode().equals("otlp")) {
            return OtlpBench.run(options, out, err);
        }
        List<Spec> warmup = workload(options.warmup(), 7, "warmup-");
        List<Spec> specs = workload(options.outcomes(), 42);
        long expected = expectedBilled(warmup) + expectedBilled(specs);
        if (options.mode().equals("embedded")) {
            return runEmbedded(options, warmup, specs, expected, out, err);
        }
        Map<String, String> settings = new HashMap<>();
        settings.put("METERING_DB_URL", options.db());
        settings.put("METERING_HTTP_PORT", "0");
        settings.put("METERING_SUBMIT_INTERVAL", "PT1H");
        settings.put("METERING_DB_POOL_SIZE", Integer.toString(Math.max(4, options.concurrency() + 2)));
        MeteringConfig config = MeteringConfig.load(ConfigSource.ofMap(settings));
        boolean http = options.mode().equals("http");
        err.printf("bench: %d outcomes after a warm-up of %d, mode %s, batch %d, concurrency %d, shadow %s, db %s%n",
                options.outcomes(), options.warmup(), options.mode(), options.batch(), options.concurrency(),
                options.shadow() ? "on" : "off", Redactor.text(options.db()));
        try (MeteringService service = http ? MeteringService.serve(config, Clock.systemUTC())
                : MeteringService.headless(config, Clock.systemUTC())) {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            AtomicLong maxHeap = new AtomicLong();
            AtomicLong failures = new AtomicLong();
            ApiClient api = http ? new ApiClient("http://127.0.0.1:" + service.port(), null) : null;
            BatchSender sender = (batch, index) -> api != null ? sendHttp(api, batch) : sendInProcess(service, batch);
            if (options.shadow()) {
                // Every outcome is decided a second time and that decision stored: the shadow's cost on the live path.
                service.useCases().createContractVersion().create(new CreateContractVersionCommand(SHADOW_VERSION));
                service.useCases().startShadow().start(new ShadowCommand(SHADOW_VERSION.version(),
                        (SubscriptionRef) null));
            }
            // Not timed: the JIT compiles the paths and the caches fill, so the measured run is the steady state.
            drive(warmup, options, sender, new long[batchCount(warmup, options)], failures, maxHeap, err, "outcomes");
            long[] latencies = new long[batchCount(specs, options)];
            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            drive(specs, options, sender, latencies, failures, maxHeap, err, "outcomes");
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
            maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            long billed = countCharges(service);
            boolean correct = billed == expected && failures.get() == 0;
            out.println(toJson(result(options, warmup, specs, seconds, cpuSeconds, latencies, billed, expected, correct,
                    options.concurrency(), failures.get(), maxHeap.get())));
            return correct ? 0 : 1;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("bench worker failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            deleteScratch(options.scratchFile(), err);
        }
    }

    private static Map<String, Object> result(Options options, List<Spec> warmup, List<Spec> specs, double seconds,
                                              double cpuSeconds, long[] latencies, long billed, long expected,
                                              boolean correct, int concurrency, long failures, long maxHeap) {
        Arrays.sort(latencies);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("outcomes", (long) specs.size());
        result.put("warmup", (long) warmup.size());
        result.put("seconds", round(seconds));
        result.put("throughput_per_s", round(specs.size() / seconds));
        // The whole process's CPU time during the measured run (the service, its database if embedded, the client if
        // in-process): steadier than wall time on a machine shared with other work.
        result.put("process_cpu_s", round(cpuSeconds));
        result.put("cpu_us_per_outcome", round(cpuSeconds * 1e6 / specs.size()));
        result.put("p50_ms", round(percentile(latencies, 0.50)));
        result.put("p99_ms", round(percentile(latencies, 0.99)));
        result.put("billed", billed);
        result.put("expected_billed", expected);
        result.put("correct", correct);
        result.put("mode", options.mode());
        result.put("batch", (long) options.batch());
        result.put("concurrency", (long) concurrency);
        result.put("shadow", options.shadow());
        result.put("failed_requests", failures);
        result.put("max_heap_used_mib", maxHeap / (1024 * 1024));
        return result;
    }

    /**
     * The domain's {@link OutcomeMeter} alone, as a team embedding only the domain jar runs it: one meter, one thread
     * (the meter takes one lock per outcome), no database. Latencies are per {@code --batch} outcomes; the charges are
     * the meter's own.
     */
    private static int runEmbedded(Options options, List<Spec> warmup, List<Spec> specs, long expected, PrintStream out,
                                   PrintStream err) {
        if (options.shadow() || options.scratchFile() == null) {
            throw new IllegalArgumentException("--mode embedded has no database and no shadow: drop --db and --shadow");
        }
        err.printf("bench: %d outcomes after a warm-up of %d, mode embedded (the domain's OutcomeMeter, one thread)%n",
                options.outcomes(), options.warmup());
        OutcomeMeter meter = OutcomeMeter.builder().build();
        meterAll(meter, warmup, options.batch(), new long[batchCount(warmup, options)]);
        long[] latencies = new long[batchCount(specs, options)];
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        meterAll(meter, specs, options.batch(), latencies);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long billed = meter.charges().size();
        boolean correct = billed == expected;
        out.println(toJson(result(options, warmup, specs, seconds, cpuSeconds, latencies, billed, expected, correct, 1,
                0, heap)));
        return correct ? 0 : 1;
    }

    private static void meterAll(OutcomeMeter meter, List<Spec> specs, int batch, long[] latencies) {
        for (int from = 0; from < specs.size(); from += batch) {
            long t0 = System.nanoTime();
            for (Spec spec : specs.subList(from, Math.min(specs.size(), from + batch))) {
                meter.record(Outcome.of(spec.taskId(), "agent-bench", spec.subscription(), java.time.Instant.now(),
                        evidence(spec)));
            }
            latencies[from / batch] = System.nanoTime() - t0;
        }
    }

    private static Evidence evidence(Spec spec) {
        return new Evidence(outputs(spec.kind()), List.of(), Map.of(), "Summarize the report", "Revenue grew 12%");
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static int batchCount(List<Spec> specs, Options options) {
        return (specs.size() + options.batch() - 1) / options.batch();
    }

    /** Sends one batch of the run, the {@code index}-th; answers how many of its items failed. */
    interface BatchSender {
        long send(List<Spec> batch, int index) throws Exception;
    }

    /**
     * Sends {@code specs} in batches of {@code --batch} from {@code --concurrency} threads; each batch's latency goes to
     * {@code latencies}, the failures to {@code failures}; progress is reported in {@code unit}.
     */
    static void drive(List<Spec> specs, Options options, BatchSender sender, long[] latencies, AtomicLong failures,
                      AtomicLong maxHeap, PrintStream err, String unit)
            throws InterruptedException, java.util.concurrent.ExecutionException {
        List<List<Spec>> batches = new ArrayList<>();
        for (int i = 0; i < specs.size(); i += options.batch()) {
            batches.add(specs.subList(i, Math.min(specs.size(), i + options.batch())));
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicInteger next = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(options.concurrency());
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < options.concurrency(); w++) {
                workers.add(pool.submit(() -> {
                    int index;
                    while ((index = next.getAndIncrement()) < batches.size()) {
                        List<Spec> batch = batches.get(index);
                        long t0 = System.nanoTime();
                        failures.addAndGet(sender.send(batch, index));
                        latencies[index] = System.nanoTime() - t0;
                        long total = done.addAndGet(batch.size());
                        if (index % 200 == 0) {
                            maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                            err.printf("bench: %d/%d %s%n", total, specs.size(), unit);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** The bench's own database is scratch: it can grow to gigabytes, so it does not outlive the run. */
    static void deleteScratch(Path scratch, PrintStream err) {
        if (scratch == null) {
            return;
        }
        for (String suffix : List.of(".mv.db", ".trace.db")) {
            Path file = Path.of(scratch + suffix);
            try {
                java.nio.file.Files.deleteIfExists(file);
            } catch (java.io.IOException e) {
                err.println("bench: could not delete " + file + ": " + e.getMessage());
            }
        }
    }

    private static long sendInProcess(MeteringService service, List<Spec> batch) {
        List<RecordOutcomeCommand> commands = new ArrayList<>(batch.size());
        for (Spec spec : batch) {
            commands.add(new RecordOutcomeCommand(new OutcomeReport(new TaskId(spec.taskId()), new AgentId("agent-bench"),
                    new SubscriptionRef(spec.subscription()), null, null, null, null, null, null, evidence(spec), null)));
        }
        List<OutcomeResult> results = service.useCases().recordOutcomeBatch()
                .recordBatch(new RecordOutcomeBatchCommand(commands));
        return results.stream().filter(r -> !(r instanceof OutcomeResult.Decided)).count();
    }

    private static long sendHttp(ApiClient api, List<Spec> batch) {
        List<Object> bodies = new ArrayList<>(batch.size());
        for (Spec spec : batch) {
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("outputs", outputs(spec.kind()));
            evidence.put("query", "Summarize the report");
            evidence.put("response", "Revenue grew 12%");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("task_id", spec.taskId());
            body.put("agent_id", "agent-bench");
            body.put("subscription_ref", spec.subscription());
            body.put("evidence", evidence);
            bodies.add(body);
        }
        if (bodies.size() == 1) {
            ApiClient.Response response = api.post("/v1/outcomes", ApiClient.json(bodies.get(0)));
            return response.status() == 200 || response.status() == 201 ? 0 : 1;
        }
        ApiClient.Response response = api.post("/v1/outcomes/batch", ApiClient.json(Map.of("outcomes", bodies)));
        if (response.status() != 200) {
            return batch.size();
        }
        List<?> results = (List<?>) response.json().get("results");
        return results.stream().filter(r -> ((Map<?, ?>) r).containsKey("error")).count();
    }

    /** Pages through every charge: the database, not the bench's own bookkeeping, decides what was billed. */
    static long countCharges(MeteringService service) {
        long count = 0;
        String cursor = null;
        do {
            Page<Charge> page = service.useCases().charges()
                    .listCharges(new ChargeQuery(null, null, null, null, ChargeQuery.MAX_LIMIT, cursor));
            count += page.items().size();
            cursor = page.nextCursor();
        } while (cursor != null);
        return count;
    }

    static double percentile(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(p * sortedNanos.length) - 1);
        return sortedNanos[Math.max(0, index)] / 1e6;
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    static String toJson(Map<String, Object> values) {
        StringBuilder json = new StringBuilder("{");
        values.forEach((key, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(key).append("\":");
            json.append(value instanceof String s ? "\"" + s + "\"" : String.valueOf(value));
        });
        return json.append('}').toString();
    }
}
