package io.taskmetering.adapter.persistence;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger is append-only: no statement anywhere in this module's main code or migrations updates, deletes,
 * truncates, merges into, alters or drops {@code ledger_entries}. Java string concatenation is undone first, so a
 * statement split over several literals is still seen.
 */
class LedgerAppendOnlyScanTest {
    private static final Pattern FORBIDDEN = Pattern.compile(
            "\\b(UPDATE|DELETE\\s+FROM|TRUNCATE(\\s+TABLE)?|MERGE\\s+INTO|ALTER\\s+TABLE|DROP\\s+TABLE(\\s+IF\\s+EXISTS)?)\\s+"
                    + "(\\w+\\.)?\"?ledger_entries\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern INSERT = Pattern.compile("\\bINSERT\\s+INTO\\s+ledger_entries\\b", Pattern.CASE_INSENSITIVE);

    static String normalize(String source) {
        return source.replaceAll("\"\\s*\\+\\s*\"", "").replaceAll("\\s+", " ");
    }

    static List<String> violations(String source) {
        List<String> out = new ArrayList<>();
        Matcher m = FORBIDDEN.matcher(normalize(source));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    @Test
    void noSqlInTheModuleUpdatesOrDeletesLedgerRows() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String root : List.of("src/main/java", "src/main/resources")) {
            try (Stream<Path> paths = Files.walk(Path.of(root))) {
                paths.filter(Files::isRegularFile).forEach(files::add);
            }
        }
        assertThat(files).anyMatch(p -> p.toString().endsWith(".sql")).anyMatch(p -> p.toString().endsWith(".java"));
        int inserts = 0;
        List<String> found = new ArrayList<>();
        for (Path file : files) {
            String text = Files.readString(file);
            violations(text).forEach(v -> found.add(file + ": " + v));
            Matcher m = INSERT.matcher(normalize(text));
            while (m.find()) {
                inserts++;
            }
        }
        assertThat(found).isEmpty();
        assertThat(inserts).as("the scan sees the ledger's SQL at all").isGreaterThanOrEqualTo(2);
    }

    @Test
    void theScanCatchesWhatItForbids() {
        assertThat(violations("h.execute(\"UPDATE \" + \"ledger_entries SET actor = 'x'\")")).hasSize(1);
        assertThat(violations("delete   from\nLEDGER_ENTRIES where 1=1")).hasSize(1);
        assertThat(violations("TRUNCATE TABLE public.ledger_entries")).hasSize(1);
        assertThat(violations("INSERT INTO ledger_entries (entry_id) SELECT x FROM charges".toLowerCase(Locale.ROOT))).isEmpty();
        assertThat(violations("UPDATE charges SET state = 'BILLABLE'")).isEmpty();
    }
}
