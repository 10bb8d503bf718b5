package io.taskmetering.bootstrap;

import io.taskmetering.domain.common.CorrelationId;
import io.taskmetering.domain.testdata.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

class TimeOrderedIdsTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void idsAreVersion7UuidsCarryingTheClocksMillisecond() {
        TimeOrderedIds ids = new TimeOrderedIds(new MutableClock(T0));

        UUID id = UUID.fromString(ids.newId());

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(T0.toEpochMilli());
    }

    @Test
    void tenThousandIdsInOneMillisecondAreDistinctAndSortInTheOrderTheyWereMade() {
        TimeOrderedIds ids = new TimeOrderedIds(new MutableClock(T0)); // a clock that never moves: > 4,096 ids per ms

        List<String> made = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            made.add(ids.newId());
        }

        assertThat(made).isSorted().doesNotHaveDuplicates();
        made.forEach(CorrelationId::new); // every id is a valid correlation id
    }

    @Test
    void aClockThatStepsBackNeverReordersIds() {
        MutableClock clock = new MutableClock(T0);
        TimeOrderedIds ids = new TimeOrderedIds(clock);
        String before = ids.newId();

        clock.advance(Duration.ofSeconds(-5));
        String after = ids.newId();

        assertThat(after).isGreaterThan(before);
    }

    @Test
    void idsFromConcurrentThreadsAreUnique() throws InterruptedException {
        TimeOrderedIds ids = new TimeOrderedIds(new MutableClock(T0));
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 5_000; i++) {
                    seen.add(ids.newId());
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(seen).hasSize(20_000);
    }
}
