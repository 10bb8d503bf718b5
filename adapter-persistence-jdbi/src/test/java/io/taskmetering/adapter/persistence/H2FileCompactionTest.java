package io.taskmetering.adapter.persistence;

import io.taskmetering.application.model.StoredDecision;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.taskmetering.adapter.persistence.Fixtures.cid;
import static io.taskmetering.adapter.persistence.Fixtures.decision;
import static io.taskmetering.adapter.persistence.Fixtures.notBillable;
import static org.assertj.core.api.Assertions.assertThat;

/** An embedded H2 file leaves superseded pages behind while it runs; closing the module compacts them away. */
class H2FileCompactionTest {

    @Test
    void closingTheModuleCompactsTheFileAndKeepsEveryRow() throws Exception {
        TestDb.Fresh database = TestDb.h2File("compaction");
        try {
            Path file = Path.of(database.url().substring("jdbc:h2:file:".length()) + ".mv.db");
            PersistenceModule module = PersistenceModule.start(database.url(), database.user(), database.password(), 2);
            for (int batch = 0; batch < 40; batch++) { // one commit each: every commit writes its pages through
                List<StoredDecision> decisions = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    decisions.add(decision("c-" + batch + "-" + i, "t-" + batch + "-" + i));
                }
                module.unitOfWork().inTransaction(() -> module.saveDecisions().insertDecisions(notBillable(decisions)));
            }
            long whileRunning = Files.size(file);

            module.close();

            long afterClose = Files.size(file);
            assertThat(afterClose).isLessThan(whileRunning / 2);
            PersistenceModule reopened = PersistenceModule.start(database.url(), database.user(), database.password(), 2);
            try {
                long rows = reopened.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM decisions")
                        .mapTo(Long.class).one());
                assertThat(rows).isEqualTo(4_000);
                assertThat(reopened.loadDecisions().findDecision(cid("c-39-99"))).isPresent();
            } finally {
                reopened.close();
            }
        } finally {
            database.drop().run();
        }
    }

    @Test
    void onlyFilesThisProcessOpensItselfAreCompacted() {
        assertThat(PersistenceModule.isEmbeddedH2File("jdbc:h2:file:./data/metering")).isTrue();
        assertThat(PersistenceModule.isEmbeddedH2File("jdbc:h2:./data/metering")).isTrue();
        assertThat(PersistenceModule.isEmbeddedH2File("jdbc:h2:mem:test")).isFalse();
        assertThat(PersistenceModule.isEmbeddedH2File("jdbc:h2:tcp://db:9092/metering")).isFalse();
        assertThat(PersistenceModule.isEmbeddedH2File("jdbc:postgresql://db/metering")).isFalse();
    }
}
