package io.taskmetering.domain.testdata;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock a test sets and moves by hand; fixed until it is moved. Thread-safe. Shared with other modules through
 * the domain test-jar (the application's fakes use it as their {@code Clock}).
 */
public final class MutableClock extends Clock {
    private volatile Instant now;

    public MutableClock(Instant start) {
        this.now = start;
    }

    public static MutableClock at(String iso) {
        return new MutableClock(Instant.parse(iso));
    }

    public MutableClock setTo(Instant instant) {
        this.now = instant;
        return this;
    }

    public MutableClock setTo(String iso) {
        return setTo(Instant.parse(iso));
    }

    public MutableClock advance(Duration duration) {
        this.now = now.plus(duration);
        return this;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone)) {
            throw new UnsupportedOperationException("a MutableClock is UTC only");
        }
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
