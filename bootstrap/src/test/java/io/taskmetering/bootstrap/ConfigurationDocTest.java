package io.taskmetering.bootstrap;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/configuration.md} against {@link ConfigKey}, the one declaration of the keys: the same keys with the
 * same defaults, and no key named anywhere (docs, main code) that cannot be set.
 */
class ConfigurationDocTest {
    /** Read by the logging system from the environment, documented apart from the service's own keys. */
    private static final String LOG_LEVEL = "METERING_LOG_LEVEL";
    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `(METERING_[A-Z0-9_]+)` \\| ([^|]*) \\|", Pattern.MULTILINE);
    private static final Pattern FIRST_CODE = Pattern.compile("`([^`]*)`");
    private static final Pattern KEY_NAME = Pattern.compile("METERING_[A-Z0-9_]*[A-Z0-9]");

    private static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).getParent();

    @Test
    void theDocumentListsExactlyTheDeclaredKeysWithTheirDefaults() throws IOException {
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher row = TABLE_ROW.matcher(Files.readString(ROOT.resolve("docs/configuration.md")));
        while (row.find()) {
            assertThat(documented.put(row.group(1), defaultOf(row.group(2)))).as(row.group(1) + " listed twice").isNull();
        }
        Map<String, String> declared = new TreeMap<>();
        for (ConfigKey<?> key : ConfigKey.ALL) {
            assertThat(declared.put(key.name(), key.documentedDefault() == null ? "" : key.documentedDefault()))
                    .as(key.name() + " declared twice").isNull();
        }
        assertThat(new TreeMap<>(documented)).isEqualTo(declared);
    }

    @Test
    void everyKeyTheDocsNameCanBeSet() throws IOException {
        Set<String> named = new TreeSet<>();
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            // the pages only: docs/ also holds the console's screenshots
            Stream<Path> pages = docs.filter(doc -> doc.getFileName().toString().endsWith(".md"));
            for (Path doc : Stream.concat(pages, Stream.of(ROOT.resolve("README.md"))).toList()) {
                named.addAll(keyNames(Files.readString(doc)));
            }
        }
        named.remove(LOG_LEVEL);
        assertThat(named).isNotEmpty().isSubsetOf(declaredNames());
    }

    @Test
    void everyKeyTheCodeNamesCanBeSet() throws IOException {
        Set<String> named = new TreeSet<>();
        for (Path module : modules()) {
            try (Stream<Path> sources = Files.walk(module.resolve("src/main"))) {
                for (Path source : sources.filter(Files::isRegularFile).toList()) {
                    named.addAll(keyNames(Files.readString(source)));
                }
            }
        }
        named.remove(LOG_LEVEL);
        assertThat(named).isNotEmpty().isSubsetOf(declaredNames());
    }

    /** {@code `dry-run`} → dry-run; {@code —}, {@code *(none)*}, {@code *(empty)*} → no default. */
    private static String defaultOf(String cell) {
        Matcher code = FIRST_CODE.matcher(cell);
        return code.find() ? code.group(1) : "";
    }

    private static Set<String> keyNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = KEY_NAME.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    private static Set<String> declaredNames() {
        return ConfigKey.ALL.stream().map(ConfigKey::name).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<Path> modules() throws IOException {
        try (Stream<Path> children = Files.list(ROOT)) {
            return children.filter(dir -> Files.isDirectory(dir.resolve("src/main"))).collect(Collectors.toSet());
        }
    }
}
