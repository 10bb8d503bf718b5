package io.taskmetering.application.port.in;

/** Replays stored decisions under a contract version, read-only. */
public interface ReplayQueries {
    ReplayResult replay(ReplayQuery query);
}
