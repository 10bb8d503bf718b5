package io.taskmetering.application.testing;

import io.taskmetering.application.port.out.IdGenerator;

import java.util.concurrent.atomic.AtomicLong;

/** Ids {@code <prefix>1}, {@code <prefix>2}, … so tests can name generated correlation and anomaly ids. */
public final class SequentialIds implements IdGenerator {
    private final String prefix;
    private final AtomicLong next = new AtomicLong(1);

    public SequentialIds(String prefix) {
        this.prefix = prefix;
    }

    public SequentialIds() {
        this("id-");
    }

    @Override
    public String newId() {
        return prefix + next.getAndIncrement();
    }

    /** How many ids were handed out. */
    public long issued() {
        return next.get() - 1;
    }
}
