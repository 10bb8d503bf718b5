package io.taskmetering.adapter.marketplace;

import java.time.Duration;

/** Waits between retries. Injected so that tests observe the waits instead of sleeping through them. */
@FunctionalInterface
public interface Sleeper {
    /** The real one: {@link Thread#sleep(long)}. */
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
