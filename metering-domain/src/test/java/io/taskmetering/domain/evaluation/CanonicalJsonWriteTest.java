package io.taskmetering.domain.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** {@link CanonicalJson#write} is RFC 8785: the RFC's own examples, then each rule on its own. */
class CanonicalJsonWriteTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** RFC 8785 §3.2.2 (input) and §3.2.4 (the canonical form, given there as UTF-8 bytes). */
    @Test
    void canonicalizesTheRfc8785Example() throws Exception {
        String input = """
                {
                  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
                  "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
                  "literals": [null, true, false]
                }""";
        String bytes = String.join(" ",
                "7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72",
                "75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a",
                "5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31",
                "65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37",
                "5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30",
                "30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d").replace(" ", "");

        String canonical = CanonicalJson.write(JSON.readValue(input, Object.class));

        assertThat(HexFormat.of().formatHex(canonical.getBytes(StandardCharsets.UTF_8))).isEqualTo(bytes);
        assertThat(canonical).isEqualTo("{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,"
                + "1e-27],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    /** RFC 8785 §3.2.3: member names sorted by UTF-16 code units, so U+1F600 (a surrogate pair) sorts before U+FB33. */
    @Test
    void sortsTheRfc8785SortingExample() throws Exception {
        String input = """
                {
                  "\\u20ac": "Euro Sign",
                  "\\r": "Carriage Return",
                  "\\ufb33": "Hebrew Letter Dalet With Dagesh",
                  "1": "One",
                  "\\ud83d\\ude00": "Emoji: Grinning Face",
                  "\\u0080": "Control",
                  "\\u00f6": "Latin Small Letter O With Diaeresis"
                }""";

        assertThat(CanonicalJson.write(JSON.readValue(input, Object.class))).isEqualTo("{"
                + "\"\\r\":\"Carriage Return\","
                + "\"1\":\"One\","
                + "\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
                + "\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\","
                + "\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    @Test
    void writesWithoutWhitespaceAndSortsMembersAtEveryLevel() {
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

    static Stream<Arguments> escapes() {
        return Stream.of(
                arguments("quote \" and backslash \\", "\"quote \\\" and backslash \\\\\""),
                arguments("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\""),
                arguments("\u0000\u0001\u001f", "\"\\u0000\\u0001\\u001f\""),
                arguments("\u001b[0m", "\"\\u001b[0m\""),
                arguments("slash / stays", "\"slash / stays\""),
                arguments("del \u007f and nbsp \u00a0 stay", "\"del \u007f and nbsp \u00a0 stay\""),
                arguments("é€😀 literal", "\"é€😀 literal\""),
                arguments("\u2028\u2029", "\"\u2028\u2029\""));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("escapes")
    void escapesOnlyWhatJsonRequires(String raw, String json) {
        assertThat(CanonicalJson.write(raw)).isEqualTo(json);
    }

    /** Every number is the double it denotes; the evidence's exact decimals and longs are read that way too. */
    static Stream<Arguments> numbers() {
        return Stream.of(
                arguments(0L, "0"),
                arguments(42, "42"),
                arguments(-0.0, "0"),
                arguments(9_007_199_254_740_993L, "9007199254740992"),
                arguments(Long.MAX_VALUE, "9223372036854776000"),
                arguments(new BigDecimal("1.500"), "1.5"),
                arguments(new BigDecimal("-0.00100"), "-0.001"),
                arguments(new BigDecimal("1E+3"), "1000"),
                arguments(new BigDecimal("1E+21"), "1e+21"),
                arguments(new BigDecimal("1E-7"), "1e-7"),
                arguments(new BigDecimal("0.10000000000000000001"), "0.1"),
                arguments(new BigDecimal("1E-400"), "0"),
                arguments(0.1, "0.1"),
                arguments(1e-7, "1e-7"),
                arguments(Double.MIN_VALUE, "5e-324"));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("numbers")
    void writesNumbersAsTheirDouble(Object number, String json) {
        assertThat(CanonicalJson.write(number)).isEqualTo(json);
    }

    @Test
    void writesLiteralsAndEmptyContainers() {
        assertThat(CanonicalJson.write(null)).isEqualTo("null");
        assertThat(CanonicalJson.write(true)).isEqualTo("true");
        assertThat(CanonicalJson.write(false)).isEqualTo("false");
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
                arguments("beyond the largest double", new BigDecimal("1E+309")),
                arguments("lone high surrogate", "lone \ud800 high"),
                arguments("lone low surrogate", "lone \udc00 low"),
                arguments("reversed pair", "\ude00\ud83d"),
                arguments("lone surrogate in a name", Map.of("\ud800", 1L)),
                arguments("short", (short) 1),
                arguments("float", 1.5f),
                arguments("instant", Instant.EPOCH),
                arguments("object", new Object()),
                arguments("set", Set.of("a")),
                arguments("array", new String[] {"a"}),
                arguments("non-string key", integerKey),
                arguments("null key", nullKey),
                arguments("nested too deep", nest(CanonicalJson.MAX_DEPTH + 1)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("unwritable")
    void refusesWhatRfc8785CannotCarry(String what, Object value) {
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
