package io.taskmetering.adapter.persistence;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Whether the database takes writes, as this process last saw it. An outage starts with the first failure that says
 * the database is unavailable ({@link PersistenceException#isUnavailable()}); each such failure also drops the pooled
 * connections, which lead to a database that is gone or that H2 closed, so the next
 * connection opens it again. While the outage lasts a probe tries a write every {@link #PROBE_INTERVAL}; the first one
 * that commits ends the outage. A read that succeeds does not: an H2 database reopened on a full disk answers reads and
 * fails the next write. The start and the end are logged once each; neither names the database (its URL may carry a
 * password).
 */
final class StorageAvailability implements AutoCloseable {
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(StorageAvailability.class);

    private final Clock clock;
    private final Runnable dropConnections;
    private final BooleanSupplier writeProbe;
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "storage-probe");
        thread.setDaemon(true);
        return thread;
    });
    private Instant unavailableSince;
    private long failedProbes;
    private ScheduledFuture<?> probing;

    /**
     * @param dropConnections closes the pool's connections (idle ones now, busy ones when they come back)
     * @param writeProbe      the write that proves the database is back; true when it committed
     */
    StorageAvailability(Clock clock, Runnable dropConnections, BooleanSupplier writeProbe) {
        this.clock = clock;
        this.dropConnections = dropConnections;
        this.writeProbe = writeProbe;
    }

    /** Records a failure; one that says the database is unavailable starts an outage or continues it. */
    void failed(PersistenceException failure) {
        if (!failure.isUnavailable()) {
            return;
        }
        dropConnections.run();
        synchronized (this) {
            if (unavailableSince != null) {
                return;
            }
            unavailableSince = clock.instant();
            failedProbes = 0;
            LOG.error("event=storage_unavailable sql_state={} error={}", failure.sqlState(), failure.getMessage());
            if (!prober.isShutdown()) {
                probing = prober.scheduleWithFixedDelay(this::probe, PROBE_INTERVAL.toMillis(),
                        PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void probe() {
        boolean wrote;
        try {
            wrote = writeProbe.getAsBoolean();
        } catch (RuntimeException e) {
            wrote = false; // the probe records its own failure
        }
        synchronized (this) {
            if (unavailableSince == null) {
                return;
            }
            if (!wrote) {
                failedProbes++;
                return;
            }
            LOG.info("event=storage_available unavailable_ms={} failed_probes={}",
                    Duration.between(unavailableSince, clock.instant()).toMillis(), failedProbes);
            unavailableSince = null;
            probing.cancel(false);
            probing = null;
        }
    }

    /** When the current outage started; empty while the database takes writes. */
    synchronized Optional<Instant> unavailableSince() {
        return Optional.ofNullable(unavailableSince);
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
