package io.taskmetering.domain.evaluation;

import io.taskmetering.domain.common.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.taskmetering.domain.evaluation.CanonicalJsonWriteTest.nest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** {@link CanonicalJson#parse} accepts exactly RFC 8259 and says what is wrong and where. */
class CanonicalJsonParseTest {
    @Test
    void parsesEveryKindOfValue() {
        Object parsed = CanonicalJson.parse(
                " {\"s\":\"x\\u00e9\\/\\ud83d\\ude00\",\"t\":true,\"f\":false,\"n\":null,\"a\":[1,-2.50,1e2,1.0],\"o\":{}}\r\n\t");

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("s", "xé/😀");
        expected.put("t", true);
        expected.put("f", false);
        expected.put("n", null);
        expected.put("a", List.of(1L, new BigDecimal("-2.5"), 100L, 1L));
        expected.put("o", Map.of());
        assertThat(parsed).isEqualTo(expected);
    }

    @Test
    void keepsDocumentOrderInMutableCollections() {
        Object parsed = CanonicalJson.parse("{\"b\":1,\"a\":[2,3],\"c\":3}");

        assertThat(parsed).isInstanceOf(LinkedHashMap.class);
        assertThat(List.copyOf(((Map<?, ?>) parsed).keySet())).isEqualTo(List.of("b", "a", "c"));
        assertThat(((Map<?, ?>) parsed).get("a")).isInstanceOf(ArrayList.class);
    }

    static Stream<Arguments> numbers() {
        return Stream.of(
                arguments("0", 0L),
                arguments("-0", 0L),
                arguments("-0.0e5", 0L),
                arguments("9223372036854775807", Long.MAX_VALUE),
                arguments("-9223372036854775808", Long.MIN_VALUE),
                arguments("9223372036854775808", new BigDecimal("9223372036854775808")),
                arguments("1.0", 1L),
                arguments("1E2", 100L),
                arguments("25e-1", new BigDecimal("2.5")),
                arguments("0.10", new BigDecimal("0.1")),
                arguments("1e1000", new BigDecimal("1e1000")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("numbers")
    void parsesIntegralNumbersAsLongAndOthersAsBigDecimal(String json, Object expected) {
        assertThat(CanonicalJson.parse(json)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "", " ", "{", "}", "[", "[1,]", "[,1]", "[1 2]", "{\"a\":1,}", "{,}", "{\"a\" 1}", "{\"a\":}",
            "{a:1}", "{'a':1}", "{1:1}", "01", "-01", "-", "1.", ".5", "+1", "1e", "1e+", "0x10", "NaN",
            "Infinity", "-Infinity", "tru", "nul", "True", "NULL", "'a'", "\"abc", "\"\t\"", "\"\n\"", "\"\\x\"",
            "\"\\u12\"", "\"\\u12g4\"", "\"\\u１２３４\"", "\"\\", "// comment\n1", "/* c */ 1", "\u00a01",
            "\ufeff1", "1e99999999999", "1e1001", "1e-1001"})
    void rejectsWhatRfc8259Rejects(String json) {
        assertThatThrownBy(() -> CanonicalJson.parse(json))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> {
                    assertThat(e.field()).isEqualTo("body");
                    assertThat(e.reason()).containsPattern("at offset \\d+$");
                });
    }

    static Stream<Arguments> errorMessages() {
        return Stream.of(
                arguments("", "unexpected end of input, expected a value at offset 0"),
                arguments("{\"a\":1,\"a\":2}", "duplicate object key at offset 7"),
                arguments("{\"a\":1} x", "unexpected trailing data at offset 8"),
                arguments("[1]]", "unexpected trailing data at offset 3"),
                arguments("1 2", "unexpected trailing data at offset 2"),
                arguments("[1,]", "unexpected character ']', expected a value at offset 3"),
                arguments("{\"a\":1,}", "unexpected character '}', expected a string key at offset 7"),
                arguments("[1", "unexpected end of input, expected ',' or ']' at offset 2"),
                arguments("\"a\u0001\"", "unescaped control character in string at offset 2"),
                arguments("\"ab", "unterminated string at offset 0"),
                arguments("[\"\\q\"]", "invalid escape sequence at offset 2"),
                arguments("-x", "invalid number at offset 0"),
                arguments("[1e5000]", "number out of range at offset 1"),
                arguments("nope", "invalid literal, expected null at offset 0"),
                arguments("\u00a0", "unexpected character U+00A0, expected a value at offset 0"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("errorMessages")
    void namesWhatIsWrongAndWhere(String json, String reason) {
        assertThatThrownBy(() -> CanonicalJson.parse(json))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void rejectsDuplicateKeysAlsoWhenSpelledWithEscapes() {
        assertThatThrownBy(() -> CanonicalJson.parse("{\"ab\":1,\"a\\u0062\":2}"))
                .isInstanceOfSatisfying(InvalidValueException.class,
                        e -> assertThat(e.reason()).isEqualTo("duplicate object key at offset 8"));
    }

    @Test
    void acceptsTheSameKeyInDifferentObjects() {
        assertThat(CanonicalJson.parse("[{\"a\":1},{\"a\":2}]")).isEqualTo(List.of(Map.of("a", 1L), Map.of("a", 2L)));
    }

    @Test
    void acceptsNestingUpToTheLimitAndRejectsOneMore() {
        int max = CanonicalJson.MAX_DEPTH;
        assertThat(CanonicalJson.parse("[".repeat(max) + "]".repeat(max))).isEqualTo(nest(max));
        String objects = "{\"a\":".repeat(max) + "1" + "}".repeat(max);
        assertThat(CanonicalJson.write(CanonicalJson.parse(objects))).isEqualTo(objects);

        assertThatThrownBy(() -> CanonicalJson.parse("[".repeat(max + 1) + "]".repeat(max + 1)))
                .isInstanceOfSatisfying(InvalidValueException.class,
                        e -> assertThat(e.reason()).isEqualTo("nesting deeper than 64 at offset 64"));
        assertThatThrownBy(() -> CanonicalJson.parse("{\"a\":".repeat(max + 1) + "1" + "}".repeat(max + 1)))
                .isInstanceOf(InvalidValueException.class);
    }

    @Test
    void rejectsDeepNestingWithoutOverflowingTheStack() {
        assertThatThrownBy(() -> CanonicalJson.parse("[".repeat(100_000)))
                .isInstanceOf(InvalidValueException.class);
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> CanonicalJson.parse(null))
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo("body"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "{\"b\" : [ 1 , 2.50 , \"\\u00E9\" ] , \"a\" : { } }",
            "[1e2, -0, 0.000, 12345678901234567890, \"\\/\", \"\\u001F\"]",
            "\"\\ud800 lone\"",
            "{\"\":null}"})
    void parseThenWriteIsStable(String json) {
        String canonical = CanonicalJson.write(CanonicalJson.parse(json));

        assertThat(CanonicalJson.write(CanonicalJson.parse(canonical))).isEqualTo(canonical);
    }
}
