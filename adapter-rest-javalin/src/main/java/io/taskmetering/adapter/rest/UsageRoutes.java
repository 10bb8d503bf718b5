package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.http.HandlerType;
import io.taskmetering.application.port.out.RetentionPurgePort.PurgeCounts;
import io.taskmetering.application.model.UsagePage;
import io.taskmetering.application.model.UsageRecordQuery;
import io.taskmetering.application.port.in.RecordUsageBatchCommand;
import io.taskmetering.application.port.in.UsageQueries;
import io.taskmetering.application.port.in.RecordUsageUseCase.UsageRecordResult;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.usage.UsageAggregate;
import io.taskmetering.domain.usage.UsageFilter;
import io.taskmetering.domain.usage.UsageGroupBy;
import io.taskmetering.domain.usage.UsageRecord;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The usage-metrics API family under {@code /v1/usage}: usage metrics, for visibility, never billed. */
final class UsageRoutes {
    static final String CSV_HEADER = "task_id,agent_id,consumer_id,tokens_in,tokens_out,duration_ms,api_calls,timestamp";
    private static final String[] FILTERS = {"agent_id", "consumer_id", "task_id", "start", "end"};

    private final UseCases useCases;
    private final MeteringMetrics metrics;

    UsageRoutes(UseCases useCases, MeteringMetrics metrics) {
        this.useCases = useCases;
        this.metrics = metrics;
    }

    List<Route> routes() {
        // Fixed paths first: /v1/usage/{task_id} would otherwise match /v1/usage/summary.
        return List.of(
                Route.post("/v1/usage", Access.REPORT, this::record),
                Route.post("/v1/usage/batch", Access.REPORT, this::recordBatch),
                Route.post("/v1/usage/validate", Access.REPORT, this::validate),
                Route.post("/v1/usage/purge", Access.ADMIN_GLOBAL, this::purge),
                Route.get("/v1/usage", Access.READ, this::list),
                Route.get("/v1/usage/aggregate", Access.READ, this::aggregate),
                Route.get("/v1/usage/summary", Access.READ, this::summary),
                Route.get("/v1/usage/agents", Access.READ, ex -> distinct(ex, UsageGroupBy.AGENT)),
                Route.get("/v1/usage/consumers", Access.READ, ex -> distinct(ex, UsageGroupBy.CONSUMER)),
                Route.get("/v1/usage/export", Access.READ, this::export),
                Route.get("/v1/usage/stats", Access.READ, this::stats),
                Route.get("/v1/usage/{task_id}", Access.READ, this::taskUsage));
    }

    private static String[] with(String... extra) {
        String[] all = new String[FILTERS.length + extra.length];
        System.arraycopy(FILTERS, 0, all, 0, FILTERS.length);
        System.arraycopy(extra, 0, all, FILTERS.length, extra.length);
        return all;
    }

    /** The filters of a usage query, restricted to the consumers the caller may see. */
    private static UsageRecordQuery query(Exchange ex, QueryParams q, int limit, long offset) {
        String agent = q.string("agent_id");
        String consumer = q.string("consumer_id");
        String task = q.string("task_id");
        Instant start = q.timestamp("start");
        Instant end = q.timestamp("end");
        ex.caller().requireScope("consumer_id", consumer);
        UsageFilter filter = Requests.validated(() -> new UsageFilter(agent == null ? null : new AgentId(agent),
                consumer == null ? null : new ConsumerId(consumer), task == null ? null : new TaskId(task), start, end));
        return Requests.validated(() -> new UsageRecordQuery(filter, ex.caller().consumerScope(), limit, offset));
    }

    private static UsageRecord readRecord(Exchange ex, JsonNode node, String prefix) {
        return Requests.within(prefix, () -> {
            Requests.UsageRecordRequest request = Requests.UsageRecordRequest.read(
                    JsonFields.strict(node, "", ex.maxString()));
            ex.caller().requireScope("consumer_id", request.consumerId());
            return request.toRecord(ex.now());
        });
    }

    private void record(Exchange ex) {
        ex.noQuery();
        UsageRecord record = readRecord(ex, ex.body(), "");
        UsageRecordResult result = useCases.recordUsage().record(record);
        metrics.recordUsageRecords(result.duplicate() ? 0 : 1, result.duplicate() ? 1 : 0);
        ex.respond(result.duplicate() ? 200 : 201, new Responses.UsageRecordedBody(
                result.duplicate() ? "duplicate" : "recorded", result.taskId().value(), result.duplicate()));
    }

    private void recordBatch(Exchange ex) {
        ex.noQuery();
        JsonFields envelope = JsonFields.strict(ex.body(), "", ex.maxString());
        List<JsonNode> items = envelope.array("events", true);
        envelope.rejectUnknown();
        if (items.isEmpty()) {
            throw ApiException.unprocessable("events", "must hold at least one record");
        }
        if (items.size() > Math.min(ex.config().maxBatchSize(), RecordUsageBatchCommand.MAX_SIZE)) {
            throw ApiException.unprocessable("events", "must hold at most "
                    + Math.min(ex.config().maxBatchSize(), RecordUsageBatchCommand.MAX_SIZE) + " records");
        }
        Responses.UsageBatchItemBody[] results = new Responses.UsageBatchItemBody[items.size()];
        List<UsageRecord> valid = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < items.size(); i++) {
            try {
                valid.add(readRecord(ex, items.get(i), "events[" + i + "]"));
                positions.add(i);
            } catch (ApiException e) {
                failed++;
                results[i] = new Responses.UsageBatchItemBody(i, "error", null, null,
                        Problem.of(e.status(), e.title(), e.detail(), e.errors()));
            }
        }
        int recorded = 0;
        int duplicates = 0;
        List<String> taskIds = new ArrayList<>();
        if (!valid.isEmpty()) {
            List<UsageRecordResult> stored = useCases.recordUsage().recordBatch(new RecordUsageBatchCommand(valid));
            for (int j = 0; j < stored.size(); j++) {
                UsageRecordResult r = stored.get(j);
                int index = positions.get(j);
                if (r.duplicate()) {
                    duplicates++;
                } else {
                    recorded++;
                }
                taskIds.add(r.taskId().value());
                results[index] = new Responses.UsageBatchItemBody(index, r.duplicate() ? "duplicate" : "recorded",
                        r.taskId().value(), r.duplicate(), null);
            }
        }
        metrics.recordUsageRecords(recorded, duplicates);
        ex.respond(200, new Responses.UsageBatchBody(List.of(results), recorded, duplicates, failed, taskIds));
    }

    /** Checks a record exactly as {@code POST /v1/usage} would, storing nothing. */
    private void validate(Exchange ex) {
        ex.noQuery();
        JsonNode body = ex.body();
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body", "must be a JSON object");
        }
        try {
            UsageRecord record = readRecord(ex, body, "");
            ex.respond(200, new Responses.ValidateBody(true, Responses.UsageRecordBody.of(record), null, null));
        } catch (ApiException e) {
            Problem.FieldError first = e.errors().isEmpty() ? new Problem.FieldError("body", e.detail()) : e.errors().get(0);
            ex.respond(200, new Responses.ValidateBody(false, null, first.field(), e.detail()));
        }
    }

    private void list(Exchange ex) {
        QueryParams q = ex.query(with("limit", "offset"));
        int limit = (int) q.integer("limit", ex.config().defaultPageSize(), 1, ex.config().maxPageSize());
        long offset = q.integer("offset", 0, 0, Long.MAX_VALUE);
        UsagePage page = useCases.usage().listUsage(query(ex, q, limit, offset));
        List<Responses.UsageRecordBody> data = page.items().stream().map(Responses.UsageRecordBody::of).toList();
        ex.respond(200, new Responses.UsageListBody(data, data.size(), page.total(), limit, offset));
    }

    private void taskUsage(Exchange ex) {
        ex.noQuery();
        TaskId task = Requests.validated(() -> new TaskId(ex.pathParam("task_id")));
        List<UsageRecord> records = useCases.usage().taskUsage(task, ex.caller().consumerScope());
        if (records.isEmpty()) {
            throw ApiException.notFound("no usage records for task_id " + task.value());
        }
        List<Responses.UsageRecordBody> data = records.stream().map(Responses.UsageRecordBody::of).toList();
        ex.respond(200, new Responses.UsageDataBody<>(data, data.size()));
    }

    private void aggregate(Exchange ex) {
        QueryParams q = ex.query(with("group_by"));
        String groupBy = q.string("group_by");
        if (groupBy == null) {
            throw ApiException.badRequest("group_by", "is required: one of agent, consumer, hour, day, week");
        }
        UsageGroupBy by = Requests.validated(() -> UsageGroupBy.parse(groupBy));
        List<UsageAggregate> groups = useCases.usage().aggregate(query(ex, q, UsageRecordQuery.MAX_LIMIT, 0), by);
        ex.respond(200, new Responses.AggregateBody(by.wireName(),
                groups.stream().map(Responses.AggregateItemBody::of).toList()));
    }

    private void distinct(Exchange ex, UsageGroupBy by) {
        QueryParams q = ex.query(FILTERS);
        List<UsageAggregate> groups = useCases.usage().aggregate(query(ex, q, UsageRecordQuery.MAX_LIMIT, 0), by);
        List<Responses.AggregateItemBody> data = groups.stream().map(Responses.AggregateItemBody::of).toList();
        ex.respond(200, new Responses.UsageDataBody<>(data, data.size()));
    }

    private void summary(Exchange ex) {
        QueryParams q = ex.query(FILTERS);
        ex.respond(200, Responses.TotalsBody.of(useCases.usage().summarize(
                query(ex, q, UsageRecordQuery.MAX_LIMIT, 0))));
    }

    /**
     * Streams every matching record as it comes from storage: nothing is collected in memory, whatever the number
     * of records. Once the first byte is out the status is fixed; a failure after that ends the connection.
     */
    private void export(Exchange ex) throws IOException {
        QueryParams q = ex.query(with("format"));
        String format = q.string("format") == null ? "csv" : q.string("format");
        if (!format.equals("csv") && !format.equals("json")) {
            throw ApiException.unprocessable("format", "must be csv or json");
        }
        UsageRecordQuery query = query(ex, q, UsageRecordQuery.MAX_LIMIT, 0);
        var ctx = ex.ctx();
        ctx.status(200);
        ctx.header("Content-Disposition", "attachment; filename=\"usage." + format + "\"");
        ctx.contentType(format.equals("csv") ? "text/csv; charset=utf-8" : "application/json");
        if (ctx.method() == HandlerType.HEAD) {
            return; // the headers only: a HEAD must not stream the whole export to have its body dropped
        }
        OutputStream out = ctx.res().getOutputStream();
        if (format.equals("csv")) {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 16 * 1024);
            writer.write(CSV_HEADER);
            writer.write("\r\n");
            useCases.usage().export(query, record -> writeCsv(writer, record));
            writer.flush();
        } else {
            JsonGenerator generator = ex.json().mapper().getFactory().createGenerator(out);
            ObjectWriter writer = ex.json().mapper().writerFor(Responses.UsageRecordBody.class)
                    .without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
            generator.writeStartObject();
            generator.writeArrayFieldStart("data");
            useCases.usage().export(query, record -> {
                try {
                    writer.writeValue(generator, Responses.UsageRecordBody.of(record));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            generator.writeEndArray();
            generator.writeEndObject();
            generator.flush();
        }
        out.flush();
    }

    private static void writeCsv(Writer writer, UsageRecord r) {
        try {
            writer.write(csv(r.taskId().value()));
            writer.write(',');
            writer.write(csv(r.agentId().value()));
            writer.write(',');
            writer.write(csv(r.consumerId().value()));
            writer.write(',');
            writer.write(Long.toString(r.tokensIn()));
            writer.write(',');
            writer.write(Long.toString(r.tokensOut()));
            writer.write(',');
            writer.write(Long.toString(r.durationMs()));
            writer.write(',');
            writer.write(Long.toString(r.apiCalls()));
            writer.write(',');
            writer.write(r.timestamp().toString());
            writer.write("\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * RFC 4180: quote a field holding a comma, quote or line break, doubling inner quotes. A field that a spreadsheet
     * would run as a formula ({@code = + - @}, tab, carriage return first) is prefixed with {@code '} (OWASP CSV
     * injection advice), so an agent id cannot execute in the operator's spreadsheet.
     */
    static String csv(String raw) {
        String value = !raw.isEmpty() && "=+-@\t\r".indexOf(raw.charAt(0)) >= 0 ? "'" + raw : raw;
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private void stats(Exchange ex) {
        ex.noQuery();
        UsageQueries.Stats stats = useCases.usage().stats();
        long total = stats.totalRecords();
        Instant oldest = stats.oldestTimestamp();
        if (!ex.caller().unscoped()) {
            // A scoped key sees the size of its own consumers' usage only.
            UsagePage first = useCases.usage().listUsage(
                    new UsageRecordQuery(UsageFilter.all(), ex.caller().consumerScope(), 1, 0));
            total = first.total();
            oldest = first.items().isEmpty() ? null : first.items().get(0).timestamp();
        }
        ex.respond(200, new Responses.UsageStatsBody(total, Timestamps.format(oldest), stats.retentionTtl().toSeconds()));
    }

    private void purge(Exchange ex) {
        ex.noQuery();
        Requests.empty(ex.body(), ex.maxString());
        PurgeCounts counts = useCases.purgeExpired().purgeExpired();
        ex.respond(200, new Responses.PurgeBody("purged", counts.total(), counts.usageRecords(), counts.decisions(),
                counts.submissionAttempts(), counts.traceSpans()));
    }
}
