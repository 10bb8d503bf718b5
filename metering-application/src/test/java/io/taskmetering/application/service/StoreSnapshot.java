package io.taskmetering.application.service;

import io.taskmetering.application.testing.InMemoryStore;
import io.taskmetering.domain.billing.Anomaly;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.CapPeriod;
import io.taskmetering.domain.billing.HourBucket;
import io.taskmetering.domain.charge.Charge;
import io.taskmetering.domain.charge.LedgerEntry;

import java.util.List;
import java.util.Map;

/** Everything billing-relevant in the store at one moment, to prove that a refused change changed nothing. */
record StoreSnapshot(List<Charge> charges, List<LedgerEntry> ledger, Map<BucketKey, HourBucket> buckets,
                     Map<CapPeriod, Long> capCounters, List<Anomaly> anomalies,
                     Map<BucketKey, InMemoryStore.OutboxRow> outbox) {
    static StoreSnapshot of(InMemoryStore store) {
        return new StoreSnapshot(store.charges(), store.ledger(), store.buckets(), store.capCounters(),
                store.anomalies(), store.outbox());
    }
}
