package io.taskmetering.adapter.persistence;

import io.taskmetering.application.port.in.EvidenceBundle;
import io.taskmetering.application.port.in.IngestTracesCommand;
import io.taskmetering.application.port.in.SettleTracesResult;
import io.taskmetering.application.service.MeteringUseCases;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.testdata.MutableClock;
import io.taskmetering.domain.trace.AgentSpan;
import io.taskmetering.domain.trace.TraceTasks;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.taskmetering.domain.testdata.AgentSpanBuilder.START;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.TRACE;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.agent;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.chat;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.id;
import static io.taskmetering.domain.testdata.AgentSpanBuilder.tool;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenTelemetry traces through the application services on a real database: spans read back from their JSON column
 * map to the same task, a task is recorded once however many instances settle at once, and a late span shows in the
 * bundle.
 */
abstract class TraceSettlementOnDatabaseContract extends ModuleTestBase {
    private static final Set<SubscriptionRef> KEY = Set.of(new SubscriptionRef("sub-1"));
    private final MutableClock clock = new MutableClock(START.plusSeconds(60));

    @Override
    protected Clock clock() {
        return clock;
    }

    private MeteringUseCases instance() {
        return Services.wire(module.ports(), clock);
    }

    private void ingest(MeteringUseCases useCases, AgentSpan... spans) {
        useCases.ingestTraces().ingest(new IngestTracesCommand(List.of(spans), KEY));
    }

    @Test
    void aRunSplitOverRetriedExportsIsOneTaskWithItsEvidenceUsageAndLateSpan() {
        MeteringUseCases app = instance();
        AgentSpan root = agent(1).during(0, 30).answer("Refund issued.").attribute("metering.output.ticket", "T-1")
                .intentScore(4.5).build();
        AgentSpan llm = chat(2, 1500, 250).parent(1).during(1, 4).build();
        AgentSpan search = tool(3, "search_orders").parent(1).during(5, 6).build();
        ingest(app, llm, search);
        ingest(app, root, llm);
        ingest(app, root, llm, search);

        clock.advance(Duration.ofSeconds(5));
        assertThat(app.settleTraces().settleDue()).isEqualTo(new SettleTracesResult(1, 0, 0, 0));
        clock.advance(Duration.ofSeconds(20));
        ingest(app, tool(4, "send_mail").parent(1).during(7, 8).build());

        assertThat(count("SELECT COUNT(*) FROM charges")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM usage_records WHERE tokens_in = 1500 AND tokens_out = 250 "
                + "AND api_calls = 1 AND duration_ms = 30000")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM trace_spans")).isEqualTo(4);
        EvidenceBundle bundle = app.charges().evidenceBundle(TraceTasks.correlationId(TRACE, id(1))).orElseThrow();
        assertThat(bundle.decision().taskId().value()).isEqualTo(TRACE + ":" + id(1));
        assertThat(bundle.decision().evidence().outputs()).containsEntry("ticket", "T-1")
                .containsEntry("terminal_success", true);
        assertThat(bundle.decision().evidence().scores()).containsEntry("intent_resolution", 4.5);
        assertThat(bundle.decision().evidence().traces()).extracting(e -> e.get("span_id"))
                .containsExactly(id(1), id(2), id(3));
        assertThat(bundle.lateSpans()).extracting(e -> e.get("span_id")).containsExactly(id(4));
    }

    @Test
    void instancesSettlingAtOnceRecordEachTaskOnce() throws Exception {
        MeteringUseCases app = instance();
        int traces = 60;
        List<AgentSpan> spans = new ArrayList<>();
        for (int i = 0; i < traces; i++) {
            String trace = String.format("%032x", i + 1);
            spans.add(agent(1).trace(trace).build());
            spans.add(tool(2, "search").trace(trace).parent(1).build());
        }
        ingest(app, spans.toArray(AgentSpan[]::new));
        clock.advance(Duration.ofSeconds(5));

        List<Callable<SettleTracesResult>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            MeteringUseCases other = instance();
            runs.add(() -> other.settleTraces().settleDue());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        int decided = 0;
        try {
            for (Future<SettleTracesResult> run : pool.invokeAll(runs)) {
                decided += run.get().tasksDecided();
            }
        } finally {
            pool.shutdown();
        }

        assertThat(decided).isEqualTo(traces);
        assertThat(count("SELECT COUNT(*) FROM charges")).isEqualTo(traces);
        assertThat(count("SELECT COUNT(*) FROM usage_records")).isEqualTo(traces);
        assertThat(count("SELECT COUNT(*) FROM trace_task_candidates WHERE state = 'TASK'")).isEqualTo(traces);
    }

    @Test
    void theSameExportSentByInstancesAtOnceIsKeptOnce() throws Exception {
        List<AgentSpan> export = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String trace = String.format("%032x", i + 1);
            export.add(agent(1).trace(trace).build());
            export.add(chat(2, 100, 10).trace(trace).parent(1).build());
        }
        List<Callable<Integer>> sends = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            MeteringUseCases other = instance();
            sends.add(() -> other.ingestTraces().ingest(new IngestTracesCommand(export, KEY)).acceptedSpans());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (Future<Integer> send : pool.invokeAll(sends)) {
                assertThat(send.get()).isEqualTo(export.size());
            }
        } finally {
            pool.shutdown();
        }
        clock.advance(Duration.ofSeconds(5));

        assertThat(instance().settleTraces().settleDue().tasksDecided()).isEqualTo(40);
        assertThat(count("SELECT COUNT(*) FROM trace_spans")).isEqualTo(80);
        assertThat(count("SELECT COUNT(*) FROM trace_task_candidates")).isEqualTo(40);
        assertThat(count("SELECT COUNT(*) FROM charges")).isEqualTo(40);
        assertThat(count("SELECT SUM(tokens_in) FROM usage_records")).isEqualTo(4000);
    }
}
