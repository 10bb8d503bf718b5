package io.taskmetering.application.port.in;

import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.trace.AgentSpan;

import java.util.List;
import java.util.Set;

/**
 * The spans of one export and the subscriptions the sending key may meter (empty = any). A key with exactly one
 * subscription meters it for every task span that names none.
 */
public record IngestTracesCommand(List<AgentSpan> spans, Set<SubscriptionRef> keyScope) {
    public IngestTracesCommand {
        spans = List.copyOf(Require.present("resourceSpans", spans));
        keyScope = Set.copyOf(Require.present("key_scope", keyScope));
    }
}
