package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.ContractVersion;
import io.taskmetering.application.model.InsertResult;
import io.taskmetering.application.model.StoredActivation;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.HourBucket;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.SubscriptionRef;
import io.taskmetering.domain.contract.ContractActivation;
import io.taskmetering.domain.contract.ContractScope;
import io.taskmetering.domain.evaluation.ContractConfig;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

import static io.taskmetering.adapter.persistence.Fixtures.HOUR;
import static io.taskmetering.adapter.persistence.Fixtures.PLAN;
import static io.taskmetering.adapter.persistence.Fixtures.SUB;
import static io.taskmetering.adapter.persistence.Fixtures.SUB2;
import static io.taskmetering.adapter.persistence.Fixtures.T0;
import static io.taskmetering.adapter.persistence.Fixtures.bucket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SaveContractVersionsPort, SaveActivationsPort, LoadContractsPort and HourBucketPort.findLastClosedHour. */
abstract class ContractStoreContract extends StoreContract {
    private static final ContractConfig STRICT = new ContractConfig("strict-v2", List.of("summary", "answer", "cost"),
            true, true, 0.1, false);
    private static final ContractVersion STRICT_VERSION = new ContractVersion(STRICT, T0);

    @Test
    void aVersionIsStoredOnceAndReadBackWithExactlyItsSettings() {
        assertThat(ports.saveContractVersions().insertVersion(STRICT_VERSION)).isEqualTo(InsertResult.INSERTED);
        ContractVersion other = new ContractVersion(STRICT.withRequireApproval(false), T0.plusSeconds(5));

        assertThat(ports.saveContractVersions().insertVersion(other)).isEqualTo(InsertResult.ALREADY_PRESENT);
        assertThat(ports.saveContractVersions().insertVersion(STRICT_VERSION)).isEqualTo(InsertResult.ALREADY_PRESENT);
        assertThat(ports.loadContracts().findVersion("strict-v2")).contains(STRICT_VERSION);
        assertThat(ports.loadContracts().findVersion("unknown")).isEmpty();
    }

    @Test
    void versionsAreListedById() {
        ContractVersion defaults = new ContractVersion(ContractConfig.defaults(), T0.plusSeconds(1));
        ports.saveContractVersions().insertVersion(STRICT_VERSION);
        ports.saveContractVersions().insertVersion(defaults);

        assertThat(ports.loadContracts().findVersions()).containsExactly(defaults, STRICT_VERSION);
    }

    @Test
    void aScopeHasOneActivationPerInstantAndTheFirstStays() {
        ports.saveContractVersions().insertVersion(STRICT_VERSION);
        ports.saveContractVersions().insertVersion(new ContractVersion(ContractConfig.defaults(), T0));
        Instant from = T0.plusSeconds(3600).plusNanos(123_000);
        StoredActivation global = new StoredActivation(new ContractActivation(ContractScope.global(), from, "strict-v2"), T0);
        StoredActivation own = new StoredActivation(new ContractActivation(ContractScope.of(SUB), from, "default-v1"), T0);
        StoredActivation rival = new StoredActivation(new ContractActivation(ContractScope.global(), from, "default-v1"),
                T0.plusSeconds(1));

        assertThat(ports.saveActivations().insertActivation(global)).isEqualTo(InsertResult.INSERTED);
        assertThat(ports.saveActivations().insertActivation(own)).isEqualTo(InsertResult.INSERTED);
        assertThat(ports.saveActivations().insertActivation(rival)).isEqualTo(InsertResult.ALREADY_PRESENT);

        assertThat(ports.loadContracts().findActivation(ContractScope.global(), from)).contains(global);
        assertThat(ports.loadContracts().findActivation(ContractScope.of(SUB), from)).contains(own);
        assertThat(ports.loadContracts().findActivation(ContractScope.of(SUB2), from)).isEmpty();
        assertThat(ports.loadContracts().findActivation(ContractScope.global(), from.plusNanos(1_000))).isEmpty();
        assertThat(ports.loadContracts().findActivations()).containsExactlyInAnyOrder(global, own);
    }

    @Test
    void anActivationNamesAStoredVersion() {
        StoredActivation dangling = new StoredActivation(
                new ContractActivation(ContractScope.global(), T0, "never-created"), T0);

        assertThatThrownBy(() -> ports.saveActivations().insertActivation(dangling)).isInstanceOf(RuntimeException.class);
        assertThat(ports.loadContracts().findActivations()).isEmpty();
    }

    @Test
    void theLastClosedHourIsTheNewestClosedBucketOfTheSubscriptionOrOfAny() {
        assertThat(ports.hourBuckets().findLastClosedHour(SUB)).isEmpty();
        assertThat(ports.hourBuckets().findLastClosedHour(null)).isEmpty();

        BucketKey subClosed = bucket(SUB, HOUR);
        BucketKey subOlderClosed = bucket(SUB, HOUR.previous());
        BucketKey subOpen = bucket(SUB, HOUR.next().next());
        BucketKey otherClosed = bucket(SUB2, HOUR.next());
        TreeMap<BucketKey, PlanId> keys = new TreeMap<>();
        List.of(subClosed, subOlderClosed, subOpen, otherClosed).forEach(k -> keys.put(k, PLAN));
        ports.unitOfWork().run(() -> {
            ports.hourBuckets().lockBuckets(keys);
            ports.hourBuckets().saveBuckets(List.of(HourBucket.open(subClosed).add(3).close(),
                    HourBucket.open(subOlderClosed).close(), HourBucket.open(subOpen).add(1),
                    HourBucket.open(otherClosed).add(2).close()));
        });

        assertThat(ports.hourBuckets().findLastClosedHour(SUB)).contains(HOUR);
        assertThat(ports.hourBuckets().findLastClosedHour(SUB2)).contains(HOUR.next());
        assertThat(ports.hourBuckets().findLastClosedHour(null)).contains(HOUR.next());
        assertThat(ports.hourBuckets().findLastClosedHour(new SubscriptionRef("nobody")))
                .isEmpty();
    }
}
