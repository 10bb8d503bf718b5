package io.taskmetering.application.service;

import io.taskmetering.application.model.StoredActivation;
import io.taskmetering.application.port.out.LoadContractsPort;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.contract.ContractSchedule;
import io.taskmetering.domain.evaluation.AdherenceContract;
import io.taskmetering.domain.evaluation.ContractConfig;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the contract that decides an outcome, by its subscription and {@code occurred_at}. The schedule is read from
 * storage once per batch (one query over a small table), never cached across batches: an activation committed
 * through any instance on the same database decides every batch that starts after it, so instances never disagree
 * about money. Versions are immutable, so their contracts are cached for good.
 */
final class ContractBook {
    private final LoadContractsPort contracts;
    private final String bootstrapVersion;
    private final Map<String, AdherenceContract> byVersion = new ConcurrentHashMap<>();

    ContractBook(LoadContractsPort contracts, ContractConfig bootstrap) {
        this.contracts = contracts;
        this.bootstrapVersion = bootstrap.version();
        byVersion.put(bootstrap.version(), new AdherenceContract(bootstrap));
    }

    /** The schedule as stored now, the configured version deciding where nothing is activated. */
    static ContractSchedule schedule(LoadContractsPort contracts, String bootstrapVersion) {
        return new ContractSchedule(bootstrapVersion,
                contracts.findActivations().stream().map(StoredActivation::activation).toList());
    }

    /** The contracts as scheduled now, for one batch. */
    Scheduled current() {
        ContractSchedule schedule = schedule(contracts, bootstrapVersion);
        return (subscription, occurredAt) -> contract(schedule.versionAt(subscription, occurredAt));
    }

    private AdherenceContract contract(String version) {
        return byVersion.computeIfAbsent(version, v -> new AdherenceContract(contracts.findVersion(v)
                .orElseThrow(() -> new IllegalStateException("activated contract version " + v + " is not stored"))
                .settings()));
    }

    /** The contract deciding an outcome of a subscription that occurred at an instant. */
    @FunctionalInterface
    interface Scheduled {
        AdherenceContract contractFor(SubscriptionRef subscription, Instant occurredAt);
    }
}
