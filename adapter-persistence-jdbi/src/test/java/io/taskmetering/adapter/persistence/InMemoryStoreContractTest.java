package io.taskmetering.adapter.persistence;

import org.junit.jupiter.api.Nested;

import java.time.Clock;

/**
 * The application's in-memory test store under the storage contracts the persistence adapter passes, so the service
 * tests that run on it run on the behaviour of the real store. Not held to the contracts only a database can keep:
 * durability across a killed process and restarts with migrations (DurabilityContract), and concurrency between
 * connection pools and lock waits (ConcurrencyContract); the in-memory store serializes every transaction on one lock.
 */
class InMemoryStoreContractTest {
    @Nested
    class Charges extends ChargeStoreContract {
        @Override
        protected Store open(Clock clock) {
            return inMemory();
        }
    }

    @Nested
    class Decisions extends DecisionStoreContract {
        @Override
        protected Store open(Clock clock) {
            return inMemory();
        }
    }

    @Nested
    class HourBuckets extends HourBucketContract {
        @Override
        protected Store open(Clock clock) {
            return inMemory();
        }
    }

    @Nested
    class Outbox extends OutboxContract {
        @Override
        protected Store open(Clock clock) {
            return inMemory();
        }
    }

    @Nested
    class UsageRecords extends UsageRecordContract {
        @Override
        protected Store open(Clock clock) {
            return inMemory();
        }
    }

    @Nested
    class AnomaliesAndPurge extends AnomalyAndPurgeContract {
        @Override
        protected Store open(Clock clock) {
            return inMemory();
        }
    }

    @Nested
    class Contracts extends ContractStoreContract {
        @Override
        protected Store open(Clock clock) {
            return inMemory();
        }
    }

    @Nested
    class Shadows extends ShadowStoreContract {
        @Override
        protected Store open(Clock clock) {
            return inMemory();
        }
    }

    @Nested
    class Reconciliations extends ReconciliationStoreContract {
        @Override
        protected Store open(Clock clock) {
            return inMemory();
        }
    }

    @Nested
    class Invoicing extends InvoicingContract {
        @Override
        protected Store open(Clock clock) {
            return inMemory();
        }
    }

    @Nested
    class Insights extends InsightStoreContract {
        @Override
        protected Store open(Clock clock) {
            return inMemory();
        }
    }

    @Nested
    class TraceSpans extends TraceSpanStoreContract {
        @Override
        protected Store open(Clock clock) {
            return inMemory();
        }
    }
}
