package io.taskmetering.domain.evaluation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** How {@link CanonicalJson#write} spells every JSON-like value, once and only once. */
class CanonicalJsonWriteTest {
    @Test
    void writesWithoutWhitespaceAndSortsKeysAtEveryLevel() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", 1L);
        inner.put("a", List.of(true, false));
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("b", inner);
        outer.put("a", null);
        outer.put("B", "x");

        assertThat(CanonicalJson.write(outer)).isEqualTo("{\"B\":\"x\",\"a\":null,\"b\":{\"a\":[true,false],\"z\":1}}");
    }

    @Test
    void mapOrderNeverChangesTheText() {
        Map<String, Object> forward = new LinkedHashMap<>();
        forward.put("one", 1L);
        forward.put("two", Map.of("y", 2L, "x", 1L));
        Map<String, Object> backward = new TreeMap<>(Comparator.reverseOrder());
        backward.putAll(forward);

        assertThat(CanonicalJson.write(backward)).isEqualTo(CanonicalJson.write(forward));
    }

    @Test
    void sortsKeysByUtf16CodeUnits() {
        Map<String, Object> map = new HashMap<>();
        map.put("é", 1L);
        map.put("z", 2L);
        map.put("Z", 3L);
        map.put("", 4L);

        assertThat(CanonicalJson.write(map)).isEqualTo("{\"\":4,\"Z\":3,\"z\":2,\"é\":1}");
    }

    static Stream<Arguments> escapes() {
        return Stream.of(
                arguments("quote \" and backslash \\", "\"quote \\\" and backslash \\\\\""),
                arguments("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\""),
                arguments("\u0000\u0001\u001f", "\"\\u0000\\u0001\\u001f\""),
                arguments("\u001b[0m", "\"\\u001b[0m\""),
                arguments("slash / stays", "\"slash / stays\""),
                arguments("del \u007f and nbsp \u00a0 stay", "\"del \u007f and nbsp \u00a0 stay\""),
                arguments("é€😀 literal", "\"é€😀 literal\""),
                arguments("lone \ud800 high", "\"lone \\ud800 high\""),
                arguments("lone \udc00 low", "\"lone \\udc00 low\""),
                arguments("\u2028\u2029", "\"\u2028\u2029\""));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("escapes")
    void escapesMinimallyAndDeterministically(String raw, String json) {
        assertThat(CanonicalJson.write(raw)).isEqualTo(json);
        assertThat(CanonicalJson.parse(json)).isEqualTo(raw);
    }

    static Stream<Arguments> numbers() {
        return Stream.of(
                arguments(0L, "0"),
                arguments(42, "42"),
                arguments(Long.MIN_VALUE, "-9223372036854775808"),
                arguments(Long.MAX_VALUE, "9223372036854775807"),
                arguments(BigInteger.TWO.pow(70), "1180591620717411303424"),
                arguments(new BigDecimal("1.500"), "1.5"),
                arguments(new BigDecimal("0.000"), "0"),
                arguments(new BigDecimal("-0.00100"), "-0.001"),
                arguments(new BigDecimal("1E+3"), "1000"),
                arguments(new BigDecimal("12345678901234567890.0"), "12345678901234567890"),
                arguments(3.0, "3"),
                arguments(-0.0, "0"),
                arguments(2.5, "2.5"),
                arguments(0.1, "0.1"),
                arguments(1e-7, "0.0000001"),
                arguments(1e20, "100000000000000000000"),
                arguments(1.2345678901234567E18, "1234567890123456768"),
                arguments(-1.5e-3, "-0.0015"),
                arguments(0.1f, "0.1"),
                arguments(1.0e10f, "10000000000"));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("numbers")
    void writesNumbersInOneCanonicalSpelling(Number number, String json) {
        assertThat(CanonicalJson.write(number)).isEqualTo(json);
        assertThat(CanonicalJson.write(CanonicalJson.parse(json))).isEqualTo(json);
    }

    @Test
    void equalNumbersSpelledDifferentlyWriteTheSame() {
        List<Object> ones = List.of(1, 1L, 1.0, 1.0f, BigInteger.ONE, new BigDecimal("1.000"), new BigDecimal("0.1E1"));

        assertThat(ones).extracting(CanonicalJson::write).containsOnly("1");
    }

    @Test
    void writesScalarsAndInstants() {
        assertThat(CanonicalJson.write(null)).isEqualTo("null");
        assertThat(CanonicalJson.write(true)).isEqualTo("true");
        assertThat(CanonicalJson.write(false)).isEqualTo("false");
        assertThat(CanonicalJson.write(Instant.parse("2025-06-01T14:00:00.123Z"))).isEqualTo("\"2025-06-01T14:00:00.123Z\"");
        assertThat(CanonicalJson.write(List.of())).isEqualTo("[]");
        assertThat(CanonicalJson.write(Map.of())).isEqualTo("{}");
    }

    static Stream<Arguments> unwritable() {
        Map<Object, Object> integerKey = new HashMap<>();
        integerKey.put(1, "x");
        Map<String, Object> nullKey = new HashMap<>();
        nullKey.put(null, "x");
        return Stream.of(
                arguments("NaN", Double.NaN),
                arguments("Infinity", Double.POSITIVE_INFINITY),
                arguments("float infinity", Float.NEGATIVE_INFINITY),
                arguments("huge exponent", new BigDecimal("1E+1001")),
                arguments("tiny exponent", new BigDecimal("1E-1001")),
                arguments("short", (short) 1),
                arguments("object", new Object()),
                arguments("set", Set.of("a")),
                arguments("array", new String[] {"a"}),
                arguments("non-string key", integerKey),
                arguments("null key", nullKey),
                arguments("nested too deep", nest(CanonicalJson.MAX_DEPTH + 1)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("unwritable")
    void refusesWhatJsonCannotCarry(String what, Object value) {
        assertThatThrownBy(() -> CanonicalJson.write(value)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesNestingUpToTheLimit() {
        assertThat(CanonicalJson.write(nest(CanonicalJson.MAX_DEPTH)))
                .isEqualTo("[".repeat(CanonicalJson.MAX_DEPTH) + "]".repeat(CanonicalJson.MAX_DEPTH));
    }

    /** {@code depth} lists, each holding the next: nest(3) is [[[]]]. */
    static Object nest(int depth) {
        Object value = List.of();
        for (int i = 1; i < depth; i++) {
            value = List.of(value);
        }
        return value;
    }
}
