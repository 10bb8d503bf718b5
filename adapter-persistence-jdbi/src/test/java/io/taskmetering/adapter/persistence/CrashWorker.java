package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.UsagePage;
import io.taskmetering.application.model.UsageRecordQuery;
import io.taskmetering.application.port.out.UsageRecordPort.UsageStats;
import io.taskmetering.application.port.in.RecordOutcomeBatchCommand;
import io.taskmetering.application.port.in.RecordOutcomeCommand;
import io.taskmetering.application.port.out.StoragePorts;
import io.taskmetering.application.port.out.UsageRecordPort;
import io.taskmetering.domain.common.ConsumerId;
import io.taskmetering.domain.common.TaskId;
import io.taskmetering.domain.usage.UsageAggregate;
import io.taskmetering.domain.usage.UsageGroupBy;
import io.taskmetering.domain.usage.UsageRecord;
import io.taskmetering.domain.usage.UsageTotals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static io.taskmetering.adapter.persistence.Fixtures.SUB;
import static io.taskmetering.adapter.persistence.Fixtures.T0;
import static io.taskmetering.adapter.persistence.Fixtures.clockAt;
import static io.taskmetering.adapter.persistence.Fixtures.outcome;

/**
 * Run in a child JVM by the crash test: commits one batch of {@link #COMMITTED} outcomes, then dies with
 * {@code Runtime.halt} in the middle of the next batch's transaction, after its decisions, charges, buckets, cap
 * counters, ledger entries and outcomes were written and before commit.
 */
public final class CrashWorker {
    static final int COMMITTED = 10;
    static final int EXIT_CODE = 77;

    private CrashWorker() {
    }

    public static void main(String[] args) {
        PersistenceModule module = PersistenceModule.start(args[0], args[1], args.length > 2 ? args[2] : "", 2);
        var clock = clockAt(T0.plusSeconds(1800));
        Services.batch(module, clock).recordBatch(new RecordOutcomeBatchCommand(batch("committed", COMMITTED)));
        StoragePorts p = module.ports();
        StoragePorts dying = new StoragePorts(p.unitOfWork(), p.saveDecisions(), p.loadDecisions(), p.saveCharges(),
                p.invoiceHour(), p.loadCharges(), p.ledger(), p.hourBuckets(), p.capCounters(), p.anomalies(),
                new HaltingUsageRecords(p.usageRecords()), p.saveUsageEvents(), p.claimUsageEvents(),
                p.recordSubmissions(), p.loadUsageEvents(), p.retentionPurge(), p.saveContractVersions(),
                p.saveActivations(), p.loadContracts(), p.saveShadows(), p.loadShadows(), p.loadInsights(),
                p.saveReconciliations(), p.loadReconciliations(), p.saveTraceSpans(), p.claimTaskCandidates(),
                p.loadTraceSpans());
        Services.wire(dying, clock).recordOutcomeBatch()
                .recordBatch(new RecordOutcomeBatchCommand(batch("crashed", 50)));
        System.exit(1); // never reached
    }

    private static List<RecordOutcomeCommand> batch(String prefix, int n) {
        List<RecordOutcomeCommand> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(outcome(SUB, prefix + "-task-" + i, prefix + "-" + i, T0.plusSeconds(i)));
        }
        return out;
    }

    /** Writes, then kills the JVM before the transaction can commit or roll back. */
    private record HaltingUsageRecords(UsageRecordPort delegate) implements UsageRecordPort {
        @Override
        public List<InsertResult> insertUsageRecords(List<UsageRecord> records) {
            delegate.insertUsageRecords(records);
            Runtime.getRuntime().halt(EXIT_CODE);
            return List.of();
        }

        @Override
        public UsagePage findUsageRecords(UsageRecordQuery query) {
            return delegate.findUsageRecords(query);
        }

        @Override
        public List<UsageRecord> findUsageRecordsOfTask(TaskId taskId, Set<ConsumerId> allowedConsumers) {
            return delegate.findUsageRecordsOfTask(taskId, allowedConsumers);
        }

        @Override
        public List<UsageAggregate> aggregateUsage(UsageRecordQuery query, UsageGroupBy groupBy) {
            return delegate.aggregateUsage(query, groupBy);
        }

        @Override
        public UsageTotals usageTotals(UsageRecordQuery query) {
            return delegate.usageTotals(query);
        }

        @Override
        public void streamUsageRecords(UsageRecordQuery query, Consumer<UsageRecord> sink) {
            delegate.streamUsageRecords(query, sink);
        }

        @Override
        public UsageStats usageStats() {
            return delegate.usageStats();
        }
    }
}
