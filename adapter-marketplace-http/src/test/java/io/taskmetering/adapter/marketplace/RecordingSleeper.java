package io.taskmetering.adapter.marketplace;

import io.taskmetering.domain.testdata.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every wait and moves the clock by it instead of sleeping. */
final class RecordingSleeper implements Sleeper {
    private final MutableClock clock;
    final List<Duration> waits = new CopyOnWriteArrayList<>();

    RecordingSleeper(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public void sleep(Duration duration) {
        waits.add(duration);
        clock.advance(duration);
    }

    Duration total() {
        return waits.stream().reduce(Duration.ZERO, Duration::plus);
    }
}
