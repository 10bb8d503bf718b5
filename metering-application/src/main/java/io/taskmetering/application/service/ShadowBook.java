package io.taskmetering.application.service;

import io.taskmetering.application.model.ShadowDecision;
import io.taskmetering.application.model.ShadowRun;
import io.taskmetering.application.model.StoredDecision;
import io.taskmetering.application.port.out.LoadContractsPort;
import io.taskmetering.application.port.out.LoadShadowsPort;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.contract.ContractScope;
import io.taskmetering.domain.evaluation.AdherenceContract;
import io.taskmetering.domain.evaluation.Decision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The versions running in shadow, read once per batch like the schedule ({@link ContractBook}), so a start or stop
 * through any instance applies to every batch that begins after it. Versions are immutable, so their contracts are
 * cached for good.
 */
final class ShadowBook {
    private final LoadShadowsPort shadows;
    private final LoadContractsPort contracts;
    private final Map<String, AdherenceContract> byVersion = new ConcurrentHashMap<>();

    ShadowBook(LoadShadowsPort shadows, LoadContractsPort contracts) {
        this.shadows = shadows;
        this.contracts = contracts;
    }

    /** The shadow runs as stored now, for one batch. */
    Running current() {
        List<ShadowRun> runs = shadows.findShadowRuns();
        return runs.isEmpty() ? Running.NONE : new Running(runs, this);
    }

    private AdherenceContract contract(String version) {
        return byVersion.computeIfAbsent(version, v -> new AdherenceContract(contracts.findVersion(v)
                .orElseThrow(() -> new IllegalStateException("contract version " + v + " runs in shadow but is not stored"))
                .settings()));
    }

    /** The runs of one batch. */
    static final class Running {
        static final Running NONE = new Running(List.of(), null);

        private final List<ShadowRun> runs;
        private final ShadowBook book;

        private Running(List<ShadowRun> runs, ShadowBook book) {
            this.runs = runs;
            this.book = book;
        }

        /**
         * The decided outcome decided again under every version running in shadow for its subscription (each version
         * once, also when it runs both globally and for the subscription).
         */
        List<ShadowDecision> decide(StoredDecision live, Instant now) {
            if (runs.isEmpty()) {
                return List.of();
            }
            List<String> versions = new ArrayList<>(runs.size());
            for (ShadowRun run : runs) {
                if (applies(run.scope(), live.subscription()) && !versions.contains(run.version())) {
                    versions.add(run.version());
                }
            }
            List<ShadowDecision> decided = new ArrayList<>(versions.size());
            for (String version : versions) {
                Decision shadow = book.contract(version).evaluate(live.evidence());
                decided.add(new ShadowDecision(live.correlationId(), live.taskId(), live.subscription(),
                        BillingHour.containing(live.occurredAt()), shadow, live.decision().contractVersion(),
                        live.decision().billable(), live.decision().reasonCodes(), now));
            }
            return decided;
        }

        private static boolean applies(ContractScope scope, SubscriptionRef subscription) {
            return scope.subscriptionOrNull() == null || scope.subscriptionOrNull().equals(subscription);
        }
    }
}
