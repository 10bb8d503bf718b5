package io.taskmetering.bootstrap.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every rule of {@link ArchitectureRules} against the production classes of all six modules. */
class ArchitectureTest {
    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter().withImportOption(new MainClassesOnly()).importPackages(ArchitectureRules.ROOT);
    }

    static Stream<Arguments> rules() {
        return Arrays.stream(ArchitectureRules.class.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && ArchRule.class.isAssignableFrom(f.getType()))
                .map(f -> Arguments.of(f.getName(), read(f)));
    }

    private static ArchRule read(Field field) {
        try {
            return (ArchRule) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void holds(String name, ArchRule rule) {
        // failOnEmptyShould stays on (ArchUnit's default): a rule matching no class fails here.
        rule.check(production);
    }

    @org.junit.jupiter.api.Test
    void importsEveryModule() {
        for (String pkg : new String[]{"io.taskmetering.domain", "io.taskmetering.application",
                "io.taskmetering.adapter.persistence", "io.taskmetering.adapter.marketplace",
                "io.taskmetering.adapter.rest", "io.taskmetering.bootstrap"}) {
            assertThat(production.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)))
                    .as("production classes of %s are imported", pkg).isTrue();
        }
        assertThat(rules().count()).as("every rule is checked").isGreaterThanOrEqualTo(13);
    }
}
