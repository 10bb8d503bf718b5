package io.taskmetering.application.service;

import io.taskmetering.application.model.OutcomeRecord;
import io.taskmetering.application.port.in.OutcomeResult.InvalidReport;
import io.taskmetering.application.port.in.OutcomeResult;
import io.taskmetering.application.port.in.RecordOutcomeCommand;
import io.taskmetering.application.testing.TestMetering;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.taskmetering.application.testing.OutcomeReportBuilder.aReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupCommitRecordOutcomeServiceTest {
    private final TestMetering metering = new TestMetering();
    private final GroupCommitRecordOutcomeService service =
            new GroupCommitRecordOutcomeService(metering.useCases().recordOutcomeBatch(), 100);
    private final ExecutorService callers = Executors.newFixedThreadPool(16);

    @AfterEach
    void stop() {
        callers.shutdownNow();
        service.close();
    }

    @Test
    void concurrentCallersEachGetTheirOwnResultAndATaskIsChargedOnce() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<OutcomeResult>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String task = "task-" + (i % 50); // every task reported four times
            String correlation = "corr-" + i;
            Callable<OutcomeResult> call = () -> {
                start.await();
                return service.record(new RecordOutcomeCommand(
                        aReport().forTask(task).withCorrelationId(correlation).build()));
            };
            results.add(callers.submit(call));
        }
        start.countDown();
        int charged = 0;
        int duplicates = 0;
        for (int i = 0; i < results.size(); i++) {
            OutcomeResult.Decided result = (OutcomeResult.Decided) results.get(i).get();
            assertThat(result.correlationId().value()).isEqualTo("corr-" + i);
            assertThat(result.taskId().value()).isEqualTo("task-" + (i % 50));
            if (result.recording() instanceof OutcomeRecord.Duplicate) {
                duplicates++;
            } else {
                assertThat(result.recording()).isInstanceOf(OutcomeRecord.Charged.class);
                charged++;
            }
        }
        assertThat(charged).isEqualTo(50);
        assertThat(duplicates).isEqualTo(150);
    }

    @Test
    void anInvalidOutcomeFailsOnlyItsOwnCaller() throws Exception {
        Future<OutcomeResult> bad = callers.submit(() -> service.record(new RecordOutcomeCommand(
                aReport().forTask("future").occurredAt(TestMetering.START.plusSeconds(3600)).build())));
        Future<OutcomeResult> good = callers.submit(() -> service.record(new RecordOutcomeCommand(
                aReport().forTask("fine").build())));
        assertThat(good.get()).isInstanceOfSatisfying(OutcomeResult.Decided.class,
                r -> assertThat(r.recording()).isInstanceOf(OutcomeRecord.Charged.class));
        assertThat(bad.get()).isInstanceOfSatisfying(InvalidReport.class,
                r -> assertThat(r.field()).isEqualTo("occurred_at"));
    }

    @Test
    void aReplayedCorrelationIdReturnsTheStoredResult() {
        var first = (OutcomeResult.Decided) service.record(
                new RecordOutcomeCommand(aReport().forTask("t").withCorrelationId("c").build()));
        var again = (OutcomeResult.Decided) service.record(
                new RecordOutcomeCommand(aReport().forTask("t").withCorrelationId("c").build()));
        assertThat(first.replayed()).isFalse();
        assertThat(again.replayed()).isTrue();
        assertThat(again.recording()).isEqualTo(first.recording());
    }

    @Test
    void afterCloseNothingMoreIsTaken() {
        service.close();
        assertThatThrownBy(() -> service.record(new RecordOutcomeCommand(aReport().forTask("late").build())))
                .isInstanceOf(IllegalStateException.class);
    }
}
