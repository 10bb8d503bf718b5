package io.taskmetering.bootstrap.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.taskmetering.adapter.persistence.archfixture.PersistenceFixture;
import io.taskmetering.adapter.rest.archfixture.RestClassUsingPersistence;
import io.taskmetering.application.service.archfixture.WritingQueryService;
import io.taskmetering.domain.archfixture.DomainClassUsingSql;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Proves the rules bite: fixture classes that break them (compiled only in tests) make them fail. */
class DeliberateViolationTest {
    private final JavaClasses fixtures = new ClassFileImporter()
            .importClasses(DomainClassUsingSql.class, RestClassUsingPersistence.class, PersistenceFixture.class,
                    WritingQueryService.class);

    @Test
    void aDomainClassUsingJdbcBreaksTheDomainRules() {
        assertThatThrownBy(() -> ArchitectureRules.DOMAIN_IS_JDK_ONLY.check(fixtures))
                .isInstanceOf(AssertionError.class).hasMessageContaining("java.sql.Connection");
        assertThatThrownBy(() -> ArchitectureRules.CORE_USES_NO_FRAMEWORK.check(fixtures))
                .isInstanceOf(AssertionError.class).hasMessageContaining("DomainClassUsingSql");
        assertThatThrownBy(() -> ArchitectureRules.JDBI_ONLY_IN_PERSISTENCE.check(fixtures))
                .isInstanceOf(AssertionError.class).hasMessageContaining("java.sql");
    }

    @Test
    void anAdapterUsingAnotherAdapterBreaksTheLayering() {
        assertThatThrownBy(() -> ArchitectureRules.HEXAGONAL_LAYERS.check(fixtures))
                .isInstanceOf(AssertionError.class).hasMessageContaining("RestClassUsingPersistence");
    }

    @Test
    void aQueryServiceThatWritesAndWiresBreaksTheQueryAndWiringRules() {
        assertThatThrownBy(() -> ArchitectureRules.QUERY_SERVICES_ONLY_READ.check(fixtures))
                .isInstanceOf(AssertionError.class).hasMessageContaining("UnitOfWork");
        assertThatThrownBy(() -> ArchitectureRules.QUERY_SERVICES_ARE_FINAL_QUERIES_IMPLEMENTATIONS.check(fixtures))
                .isInstanceOf(AssertionError.class).hasMessageContaining("WritingQueryService");
        assertThatThrownBy(() -> ArchitectureRules.ONE_WIRING_BUILDS_THE_SERVICES.check(fixtures))
                .isInstanceOf(AssertionError.class).hasMessageContaining("RecordUsageService.<init>");
    }
}
