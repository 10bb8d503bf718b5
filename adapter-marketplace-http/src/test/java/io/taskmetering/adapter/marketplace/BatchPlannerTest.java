package io.taskmetering.adapter.marketplace;

import io.taskmetering.domain.billing.UsageEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.taskmetering.adapter.marketplace.TestEvents.HOUR;
import static io.taskmetering.adapter.marketplace.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchPlannerTest {

    @Test
    void batchesHoldAtMostTheBatchSizeAndKeepTheOrder() {
        List<UsageEvent> events = TestEvents.events(60);

        List<List<UsageEvent>> requests = BatchPlanner.requests(events, Endpoint.BATCH, 25);

        assertThat(requests).extracting(List::size).containsExactly(25, 25, 10);
        assertThat(requests.stream().flatMap(List::stream)).containsExactlyElementsOf(events);
    }

    @Test
    void singleModeSendsEachEventAlone() {
        List<UsageEvent> events = TestEvents.events(3);

        assertThat(BatchPlanner.requests(events, Endpoint.SINGLE, 25))
                .containsExactly(List.of(events.get(0)), List.of(events.get(1)), List.of(events.get(2)));
    }

    @Test
    void eventsWhoseAnswersCouldNotBeToldApartGoIntoDifferentBatchesAndTheRestFillsUp() {
        UsageEvent lower = event("sub-a", "Task_Completed", HOUR, 1, "gold");
        UsageEvent upper = event("sub-a", "task_completed", HOUR, 2, "gold");
        UsageEvent upperPlan = event("SUB-A", "task_completed", HOUR, 3, "GOLD");
        UsageEvent otherHour = event("sub-a", "task_completed", HOUR.plus(Duration.ofHours(1)), 4, "gold");

        List<List<UsageEvent>> requests = BatchPlanner.requests(List.of(lower, upper, upperPlan, otherHour),
                Endpoint.BATCH, 25);

        assertThat(requests).containsExactly(List.of(lower, otherHour), List.of(upper), List.of(upperPlan));
    }

    @Test
    void anHourKeyTwiceInOneSubmissionIsRefused() {
        UsageEvent event = event("sub-1", 1);

        assertThatThrownBy(() -> BatchPlanner.requests(List.of(event, event("sub-1", 2)), Endpoint.BATCH, 25))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("appears twice");
    }
}
