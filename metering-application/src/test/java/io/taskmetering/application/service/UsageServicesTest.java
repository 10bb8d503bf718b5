package io.taskmetering.application.service;

import io.taskmetering.application.model.UsageRecordQuery;
import io.taskmetering.application.port.in.RecordUsageBatchCommand;
import io.taskmetering.application.port.in.UsageQueries;
import io.taskmetering.application.port.in.RecordUsageUseCase.UsageRecordResult;
import io.taskmetering.application.testing.TestMetering;
import io.taskmetering.domain.common.AgentId;
import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.usage.UsageAggregate;
import io.taskmetering.domain.usage.UsageFilter;
import io.taskmetering.domain.usage.UsageGroupBy;
import io.taskmetering.domain.usage.UsageRecord;
import io.taskmetering.domain.usage.UsageTotals;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.taskmetering.domain.testdata.UsageRecordBuilder.aUsageRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UsageServicesTest {
    private final TestMetering app = new TestMetering();
    private final UsageRecord alpha1 = aUsageRecord().withTaskId("t1").withAgentId("agent-alpha")
            .withConsumerId("c-a").withTokensIn(100).withTokensOut(50).at("2025-06-01T14:05:00Z").build();
    private final UsageRecord beta1 = aUsageRecord().withTaskId("t2").withAgentId("agent-beta")
            .withConsumerId("c-a").withTokensIn(10).withTokensOut(5).at("2025-06-01T13:00:00Z").build();
    private final UsageRecord alpha2 = aUsageRecord().withTaskId("t3").withAgentId("agent-alpha")
            .withConsumerId("c-b").withTokensIn(1).withTokensOut(1).at("2025-06-02T09:00:00Z").build();

    @BeforeEach
    void threeRecords() {
        app.useCases().recordUsage().recordBatch(new RecordUsageBatchCommand(List.of(alpha1, beta1, alpha2)));
    }

    private static UsageRecordQuery all() {
        return new UsageRecordQuery(UsageFilter.all(), Set.of(), 100, 0);
    }

    @Test
    void theSameConsumerTaskAndTimestampIsStoredOnce() {
        UsageRecordResult again = app.useCases().recordUsage().record(alpha1);
        UsageRecordResult fresh = app.useCases().recordUsage().record(aUsageRecord().withTaskId("t9").build());

        assertThat(again).isEqualTo(new UsageRecordResult(TaskId.of("t1"), true));
        assertThat(fresh).isEqualTo(new UsageRecordResult(TaskId.of("t9"), false));
        assertThat(app.store.usageRecords()).hasSize(4);
    }

    @Test
    void aBatchReportsDuplicatesInRequestOrder() {
        List<UsageRecordResult> results = app.useCases().recordUsage().recordBatch(new RecordUsageBatchCommand(
                List.of(aUsageRecord().withTaskId("n1").build(), beta1, aUsageRecord().withTaskId("n1").build())));

        assertThat(results).extracting(UsageRecordResult::duplicate).containsExactly(false, true, true);
        assertThatThrownBy(() -> new RecordUsageBatchCommand(List.of()))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("events"));
    }

    @Test
    void listsInTimestampOrderWithFiltersPagingAndTheCallersConsumers() {
        assertThat(app.useCases().usage().listUsage(all()).items()).containsExactly(beta1, alpha1, alpha2);
        var page = app.useCases().usage().listUsage(new UsageRecordQuery(UsageFilter.all(), Set.of(), 1, 1));
        assertThat(page.items()).containsExactly(alpha1);
        assertThat(page.total()).isEqualTo(3);
        assertThat(app.useCases().usage().listUsage(new UsageRecordQuery(
                UsageFilter.all().withAgent(AgentId.of("agent-alpha")), Set.of(ConsumerId.of("c-b")), 10, 0)).items())
                .containsExactly(alpha2);
    }

    @Test
    void aggregatesByAgentAndDay() {
        List<UsageAggregate> byAgent = app.useCases().usage().aggregate(all(), UsageGroupBy.AGENT);
        List<UsageAggregate> byDay = app.useCases().usage().aggregate(all(), UsageGroupBy.DAY);

        assertThat(byAgent).extracting(UsageAggregate::group).containsExactly("agent-alpha", "agent-beta");
        assertThat(byAgent.get(0).totals().totalTokens()).isEqualTo(152);
        assertThat(byDay).extracting(UsageAggregate::group).containsExactly("2025-06-01", "2025-06-02");
        assertThat(byDay.get(0).totals().totalTasks()).isEqualTo(2);
    }

    @Test
    void summarizesTotalsAndUniques() {
        UsageTotals totals = app.useCases().usage().summarize(all());

        assertThat(totals.totalTasks()).isEqualTo(3);
        assertThat(totals.totalTokensIn()).isEqualTo(111);
        assertThat(totals.uniqueAgents()).isEqualTo(2);
        assertThat(totals.uniqueConsumers()).isEqualTo(2);
    }

    @Test
    void exportsEveryMatchingRecordInTimestampOrder() {
        List<UsageRecord> sink = new ArrayList<>();

        app.useCases().usage().export(new UsageRecordQuery(
                UsageFilter.all().withPeriod(Instant.parse("2025-06-01T00:00:00Z"), Instant.parse("2025-06-02T00:00:00Z")),
                Set.of(), 1, 0), sink::add);

        assertThat(sink).containsExactly(beta1, alpha1);
    }

    @Test
    void aTasksUsageIsLimitedToTheCallersConsumers() {
        assertThat(app.useCases().usage().taskUsage(TaskId.of("t1"), Set.of())).containsExactly(alpha1);
        assertThat(app.useCases().usage().taskUsage(TaskId.of("t1"), Set.of(ConsumerId.of("c-b"))))
                .isEmpty();
    }

    @Test
    void statsReportSizeOldestAndTtl() {
        UsageQueries.Stats stats = app.useCases().usage().stats();

        assertThat(stats).isEqualTo(new UsageQueries.Stats(3, beta1.timestamp(), Duration.ofDays(30)));
    }
}
