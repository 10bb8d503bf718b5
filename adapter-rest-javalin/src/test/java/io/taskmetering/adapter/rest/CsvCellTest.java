package io.taskmetering.adapter.rest;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Export cells are RFC 4180 and never start a spreadsheet formula. */
class CsvCellTest {
    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "task-001|task-001",
            "a,b|~\"a,b\"~",
            "say \"hi\"|\"say \"\"hi\"\"\"",
            "=HYPERLINK(1)|'=HYPERLINK(1)",
            "+1|'+1",
            "-1|'-1",
            "@SUM(A1)|'@SUM(A1)",
            "=1,2|~\"'=1,2\"~"})
    void escapes(String raw, String expected) {
        assertThat(UsageRoutes.csv(raw)).isEqualTo(expected);
    }
}
