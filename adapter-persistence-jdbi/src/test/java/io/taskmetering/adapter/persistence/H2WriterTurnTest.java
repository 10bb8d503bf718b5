package io.taskmetering.adapter.persistence;

import io.taskmetering.application.port.out.StorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** On H2 units of work take turns; one that cannot get its turn in time fails as retryable and writes nothing. */
class H2WriterTurnTest {
    private TestDb.Fresh database;
    private PersistenceModule module;
    private JdbiUnitOfWork unitOfWork;

    @BeforeEach
    void start() {
        database = TestDb.h2().fresh();
        module = PersistenceModule.start(database.url(), database.user(), database.password(), 4);
        unitOfWork = new JdbiUnitOfWork(new Db(module.jdbi(), Dialect.H2, failure -> { }), 200);
    }

    @AfterEach
    void stop() {
        module.close();
        database.drop().run();
    }

    @Test
    void aSecondUnitOfWorkWaitsForTheFirstAndFailsRetryablyWhenItWaitsTooLong() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> unitOfWork.inTransaction(() -> {
            inside.countDown();
            await(release);
            return 1;
        }));
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> unitOfWork.inTransaction(() -> {
            module.jdbi().useHandle(h -> h.execute("CREATE TABLE must_not_exist (id INT)"));
            return 0;
        })).isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessageContaining("waited 200 ms");
        assertThat(tableExists("MUST_NOT_EXIST")).isFalse();

        release.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        // the turn is free again
        assertThat(unitOfWork.inTransaction(() -> 2)).isEqualTo(2);
    }

    private boolean tableExists(String name) {
        return module.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM information_schema.tables WHERE UPPER(table_name) = :n").bind("n", name)
                .mapTo(Long.class).one()) > 0;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
