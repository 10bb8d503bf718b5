package io.taskmetering.domain.evaluation;

import io.taskmetering.domain.common.InvalidValueException;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Canonical JSON: one byte-exact text per JSON value, so that hashing it (see {@link EvidenceDigest}) gives a
 * digest that depends only on the content, never on map order, number spelling or whitespace. Also a strict
 * RFC 8259 parser whose result writes back to the same canonical text. JDK only, by design of the domain.
 */
public final class CanonicalJson {
    /** Deepest nesting of arrays and objects that {@link #parse} accepts and {@link #write} produces. */
    static final int MAX_DEPTH = 64;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {
    }

    /**
     * Writes a JSON-like value (null, String, Boolean, Integer, Long, BigInteger, BigDecimal, finite Double or
     * Float, Instant as its ISO-8601 string, List, Map with String keys) with no whitespace and object keys in
     * {@link String#compareTo} order.
     *
     * @throws IllegalArgumentException for any other value, a non-finite number, a number whose exponent is beyond
     *                                  {@link JsonNumbers#MAX_EXPONENT} or nesting deeper than {@link #MAX_DEPTH}:
     *                                  domain values never contain them, so meeting one is a programming error
     */
    public static String write(Object jsonLike) {
        StringBuilder out = new StringBuilder();
        writeValue(out, jsonLike, 0);
        return out.toString();
    }

    /**
     * Parses one RFC 8259 JSON text: objects become {@code LinkedHashMap}s (in document order), arrays
     * {@code ArrayList}s, numbers {@code Long} when integral and within range, else {@code BigDecimal} without
     * trailing zeros.
     *
     * @throws InvalidValueException on field {@code body} for malformed text, trailing data, a duplicate object key,
     *                               nesting deeper than {@link #MAX_DEPTH} or a number beyond
     *                               {@link JsonNumbers#MAX_EXPONENT}; the message names the offset
     */
    public static Object parse(String json) {
        if (json == null) {
            throw new InvalidValueException("body", "is required");
        }
        return new Parser(json).document();
    }

    private static void writeValue(StringBuilder out, Object value, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Instant instant) {
            writeString(out, instant.toString());
        } else if (value instanceof Number n) {
            writeNumber(out, n);
        } else if (value instanceof List<?> list) {
            writeArray(out, list, enter(depth));
        } else if (value instanceof Map<?, ?> map) {
            writeObject(out, map, enter(depth));
        } else {
            throw new IllegalArgumentException("not a JSON-like value: " + value.getClass().getName());
        }
    }

    private static int enter(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException("nesting deeper than " + MAX_DEPTH);
        }
        return depth + 1;
    }

    private static void writeArray(StringBuilder out, List<?> list, int depth) {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeValue(out, list.get(i), depth);
        }
        out.append(']');
    }

    private static void writeObject(StringBuilder out, Map<?, ?> map, int depth) {
        List<String> keys = new ArrayList<>(map.size());
        for (Object key : map.keySet()) {
            if (!(key instanceof String s)) {
                throw new IllegalArgumentException("object keys must be strings, got " + key);
            }
            keys.add(s);
        }
        keys.sort(null);
        out.append('{');
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeString(out, keys.get(i));
            out.append(':');
            writeValue(out, map.get(keys.get(i)), depth);
        }
        out.append('}');
    }

    private static void writeNumber(StringBuilder out, Number n) {
        Number canonical = JsonNumbers.canonical(n);
        out.append(canonical instanceof BigDecimal decimal ? decimal.toPlainString() : canonical.toString());
    }

    /** Minimal, deterministic escaping; unpaired surrogates are escaped because UTF-8 cannot carry them. */
    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        appendUnicodeEscape(out, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        appendUnicodeEscape(out, c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void appendUnicodeEscape(StringBuilder out, char c) {
        out.append("\\u")
                .append(HEX[(c >> 12) & 0xF])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
    }

    /** Recursive descent over the text; {@code pos} is the offset every error message reports. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Object document() {
            skipWhitespace();
            Object value = value(0);
            skipWhitespace();
            if (pos < text.length()) {
                throw error("unexpected trailing data", pos);
            }
            return value;
        }

        private Object value(int depth) {
            if (pos >= text.length()) {
                throw error("unexpected end of input, expected a value", pos);
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> object(nested(depth));
                case '[' -> array(nested(depth));
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("unexpected character " + describe(c) + ", expected a value", pos);
                }
            };
        }

        private int nested(int depth) {
            if (depth >= MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH, pos);
            }
            return depth + 1;
        }

        private Map<String, Object> object(int depth) {
            pos++;
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipWhitespace();
                int keyOffset = pos;
                if (peek() != '"') {
                    throw unexpected("expected a string key");
                }
                String key = string();
                if (map.containsKey(key)) {
                    throw error("duplicate object key", keyOffset);
                }
                skipWhitespace();
                expect(':');
                skipWhitespace();
                map.put(key, value(depth));
                skipWhitespace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() == '}') {
                    pos++;
                    return map;
                } else {
                    throw unexpected("expected ',' or '}'");
                }
            }
        }

        private List<Object> array(int depth) {
            pos++;
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipWhitespace();
                list.add(value(depth));
                skipWhitespace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() == ']') {
                    pos++;
                    return list;
                } else {
                    throw unexpected("expected ',' or ']'");
                }
            }
        }

        private String string() {
            int start = pos;
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw error("unterminated string", start);
                }
                char c = text.charAt(pos);
                if (c == '"') {
                    pos++;
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw error("unescaped control character in string", pos);
                }
                if (c != '\\') {
                    sb.append(c);
                    pos++;
                    continue;
                }
                int escape = pos;
                if (++pos >= text.length()) {
                    throw error("unterminated string", start);
                }
                switch (text.charAt(pos)) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        sb.append(hex4(escape));
                        pos += 4;
                    }
                    default -> throw error("invalid escape sequence", escape);
                }
                pos++;
            }
        }

        private char hex4(int escape) {
            if (pos + 4 >= text.length()) {
                throw error("invalid unicode escape", escape);
            }
            int value = 0;
            for (int i = 1; i <= 4; i++) {
                char c = text.charAt(pos + i);
                int digit = c >= '0' && c <= '9' ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
                        : -1;
                if (digit < 0) {
                    throw error("invalid unicode escape", escape);
                }
                value = (value << 4) | digit;
            }
            return (char) value;
        }

        /** RFC 8259: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}. */
        private Number number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
            } else if (!digits()) {
                throw error("invalid number", start);
            }
            if (peek() == '.') {
                pos++;
                if (!digits()) {
                    throw error("invalid number", start);
                }
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (!digits()) {
                    throw error("invalid number", start);
                }
            }
            try {
                return JsonNumbers.canonical(new BigDecimal(text.substring(start, pos)));
            } catch (IllegalArgumentException exponentBeyondRange) { // also NumberFormatException: exponent overflow
                throw error("number out of range", start);
            }
        }

        private boolean digits() {
            int start = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            return pos > start;
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) {
                throw error("invalid literal, expected " + word, pos);
            }
            pos += word.length();
            return value;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw unexpected("expected '" + c + "'");
            }
            pos++;
        }

        /** The current character, or {@code 0xFFFF} at the end of input (no JSON token starts with it). */
        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\uFFFF';
        }

        private void skipWhitespace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        private InvalidValueException unexpected(String expectation) {
            if (pos >= text.length()) {
                return error("unexpected end of input, " + expectation, pos);
            }
            return error("unexpected character " + describe(text.charAt(pos)) + ", " + expectation, pos);
        }

        private static String describe(char c) {
            return c > 0x20 && c < 0x7f ? "'" + c + "'" : String.format(Locale.ROOT, "U+%04X", (int) c);
        }

        private static InvalidValueException error(String what, int offset) {
            return new InvalidValueException("body", what + " at offset " + offset);
        }
    }
}
