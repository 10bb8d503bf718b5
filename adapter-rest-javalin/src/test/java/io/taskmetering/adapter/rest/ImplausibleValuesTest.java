package io.taskmetering.adapter.rest;

import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.usage.UsageRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;

import static io.taskmetering.adapter.rest.Bodies.map;
import static io.taskmetering.adapter.rest.Bodies.outcome;
import static io.taskmetering.adapter.rest.Bodies.usage;
import static io.taskmetering.adapter.rest.Bodies.with;
import static io.taskmetering.adapter.rest.TestApp.ADMIN;
import static io.taskmetering.adapter.rest.TestApp.AGENT_A;
import static io.taskmetering.adapter.rest.TestApp.AGENT_ALL;
import static io.taskmetering.adapter.rest.TestApp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Timestamps outside the accepted range and counts beyond the documented limit; totals that exceed a long. */
class ImplausibleValuesTest {
    @RegisterExtension
    static final TestApp app = new TestApp();

    /** Each relative to the test clock (2026-03-02T10:20:00Z). */
    private static final String[] IMPLAUSIBLE = {"0000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z",
            "1999-12-31T23:59:59Z", "2026-03-02T10:30:00Z", "+10000-01-01T00:00:00Z"};
    /** A timestamp without a zone cannot be read as an instant: 400, like other unreadable values. */
    private static final String ZONELESS = "2026-03-02T10:00:00";

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void aUsageTimestampOutOfRangeOrWithoutZoneIs422NamingTimestampAndNothingIsStored(int which) {
        String task = "ts-usage-" + which;
        var r = app.post("/v1/usage", AGENT_ALL, json(usage(task, "c-ts", IMPLAUSIBLE[which])));

        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.errorFields()).containsExactly("timestamp");
        assertThat(app.get("/v1/usage/" + task, ADMIN).status()).isEqualTo(404);

        var batch = app.post("/v1/usage/batch", AGENT_ALL,
                json(map("events", List.of(usage(task, "c-ts", IMPLAUSIBLE[which])))));
        assertThat(batch.json().path("results").get(0).path("error").path("errors").get(0).path("field").asText())
                .isEqualTo("events[0].timestamp");
        assertThat(app.get("/v1/usage/" + task, ADMIN).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void anOccurredAtOutOfRangeOrWithoutZoneIs422NamingOccurredAtAndNothingIsStored(int which) {
        String correlation = "corr-ts-" + which;
        var r = app.post("/v1/outcomes", AGENT_A, json(with(outcome("o-ts-" + which, "sub-a"),
                "occurred_at", IMPLAUSIBLE[which], "correlation_id", correlation)));

        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.errorFields()).containsExactly("occurred_at");
        assertThat(app.get("/v1/audit/" + correlation, ADMIN).status()).isEqualTo(404);
    }

    @Test
    void aTimestampWithoutZoneIs400NamingTheFieldSentAndNothingIsStored() {
        var usage = app.post("/v1/usage", AGENT_ALL, json(usage("ts-zoneless", "c-ts", ZONELESS)));
        assertThat(usage.status()).as(usage.toString()).isEqualTo(400);
        assertThat(usage.errorFields()).containsExactly("timestamp");
        assertThat(app.get("/v1/usage/ts-zoneless", ADMIN).status()).isEqualTo(404);

        var outcome = app.post("/v1/outcomes", AGENT_A, json(with(outcome("o-ts-zoneless", "sub-a"),
                "occurred_at", ZONELESS, "correlation_id", "corr-ts-zoneless")));
        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(400);
        assertThat(outcome.errorFields()).containsExactly("occurred_at");
        assertThat(app.get("/v1/audit/corr-ts-zoneless", ADMIN).status()).isEqualTo(404);
    }

    @Test
    void anEventTimeUpToFiveMinutesAheadIsAccepted() {
        var r = app.post("/v1/usage", AGENT_ALL, json(usage("ts-ahead", "c-ts", "2026-03-02T10:25:00Z")));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"start", "end"})
    void aQueryBoundOutOfRangeIs422NamingIt(String bound) {
        var r = app.get("/v1/usage/summary?" + bound + "=0000-01-01T00:00:00Z", ADMIN);
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.errorFields()).containsExactly(bound);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tokens_in", "tokens_out", "duration_ms", "api_calls"})
    void aCountAboveTheLimitIs422NamingItAndNothingIsStored(String field) {
        String task = "over-" + field;
        var r = app.post("/v1/usage", AGENT_ALL,
                json(with(usage(task, "c-over", "2026-02-06T10:00:00Z"), field, UsageRecord.MAX_COUNT + 1)));

        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.errorFields()).containsExactly(field);
        assertThat(app.get("/v1/usage/" + task, ADMIN).status()).isEqualTo(404);
    }

    @Test
    void countsAtTheLimitAreSummedExactlyByEveryReport() {
        long max = UsageRecord.MAX_COUNT;
        for (String task : List.of("limit-1", "limit-2")) {
            var r = app.post("/v1/usage", AGENT_ALL, json(map("task_id", task, "agent_id", "agent-limit",
                    "consumer_id", "c-limit", "tokens_in", max, "tokens_out", max, "duration_ms", max, "api_calls", max,
                    "timestamp", "2026-02-06T10:00:00Z")));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        var summary = app.get("/v1/usage/summary?consumer_id=c-limit", ADMIN);
        assertThat(summary.status()).as(summary.toString()).isEqualTo(200);
        assertThat(summary.json().path("total_tokens").asLong()).isEqualTo(4 * max);
        assertThat(summary.json().path("total_duration_ms").asLong()).isEqualTo(2 * max);
        assertThat(summary.json().path("saturated").asBoolean()).isFalse();
    }

    /** Rows stored before the limit existed may hold counts near 2^63: reports saturate and say so, never a 500. */
    @Test
    void totalsBeyondALongSaturateOnEveryReportRoute() {
        Instant at = Instant.parse("2026-02-06T10:00:00Z");
        long huge = Long.MAX_VALUE - 1;
        app.persistence.ports().usageRecords().insertUsageRecords(List.of(
                new UsageRecord(new TaskId("huge-1"), new AgentId("agent-huge"), new ConsumerId("c-huge"), huge, 0, huge,
                        huge, at),
                new UsageRecord(new TaskId("huge-2"), new AgentId("agent-huge"), new ConsumerId("c-huge"), huge, 0, huge,
                        huge, at.plusSeconds(1))));

        var summary = app.get("/v1/usage/summary?consumer_id=c-huge", ADMIN);
        assertThat(summary.status()).as(summary.toString()).isEqualTo(200);
        assertThat(summary.json().path("total_tokens_in").asLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(summary.json().path("total_duration_ms").asLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(summary.json().path("saturated").asBoolean()).isTrue();
        for (String route : List.of("/v1/usage/aggregate?group_by=agent&consumer_id=c-huge",
                "/v1/usage/aggregate?group_by=day&consumer_id=c-huge", "/v1/usage/agents?consumer_id=c-huge",
                "/v1/usage/consumers?consumer_id=c-huge")) {
            var r = app.get(route, ADMIN);
            assertThat(r.status()).as(route + " " + r).isEqualTo(200);
            assertThat(r.json().path("data").get(0).path("total_api_calls").asLong()).as(route).isEqualTo(Long.MAX_VALUE);
            assertThat(r.json().path("data").get(0).path("saturated").asBoolean()).as(route).isTrue();
        }
    }
}
