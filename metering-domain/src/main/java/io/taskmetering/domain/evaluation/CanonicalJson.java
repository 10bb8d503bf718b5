package io.taskmetering.domain.evaluation;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON Canonicalization Scheme of RFC 8785 (JCS): one byte-exact text per JSON value, so that hashing it (see
 * {@link EvidenceDigest}) gives a digest anyone can recompute with any JCS implementation. Object members are sorted
 * by the UTF-16 code units of their names, there is no whitespace, strings carry only the escapes JSON requires, and
 * every number is written as the double it denotes, the way ECMAScript writes it ({@link EcmaScriptNumbers}).
 * JDK only, by design of the domain; the domain writes JSON for hashing and never needs to read it.
 */
public final class CanonicalJson {
    /** Deepest nesting of arrays and objects that {@link #write} accepts. */
    static final int MAX_DEPTH = 64;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {
    }

    /**
     * Writes a JSON value (null, String, Boolean, a finite Long, Integer, Double or BigDecimal, List, Map with String
     * keys) in its RFC 8785 form.
     *
     * @throws IllegalArgumentException for any other value, a number beyond the range of a double, a string with an
     *                                  unpaired surrogate (RFC 8785 requires valid Unicode) or nesting deeper than
     *                                  {@link #MAX_DEPTH}: evidence never contains them, so meeting one is a
     *                                  programming error
     */
    public static String write(Object jsonValue) {
        StringBuilder out = new StringBuilder(256);
        writeValue(out, jsonValue, 0);
        return out.toString();
    }

    private static void writeValue(StringBuilder out, Object value, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Long || value instanceof Integer || value instanceof Double
                || value instanceof BigDecimal) {
            out.append(EcmaScriptNumbers.toString(((Number) value).doubleValue()));
        } else if (value instanceof List<?> list) {
            writeArray(out, list, enter(depth));
        } else if (value instanceof Map<?, ?> map) {
            writeObject(out, map, enter(depth));
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
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

    /** RFC 8785 §3.2.3: names compared as arrays of UTF-16 code units, which is what {@link String#compareTo} does. */
    private static void writeObject(StringBuilder out, Map<?, ?> map, int depth) {
        List<String> names = new ArrayList<>(map.size());
        for (Object name : map.keySet()) {
            if (!(name instanceof String s)) {
                throw new IllegalArgumentException("object member names must be strings, got " + name);
            }
            names.add(s);
        }
        names.sort(null);
        out.append('{');
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeString(out, names.get(i));
            out.append(':');
            writeValue(out, map.get(names.get(i)), depth);
        }
        out.append('}');
    }

    /** RFC 8785 §3.2.2.2: the two-character escapes, a backslash-u escape with lowercase hex for other controls, the rest as is. */
    private static void writeString(StringBuilder out, String s) {
        int unpaired = unpairedSurrogateAt(s);
        if (unpaired >= 0) {
            throw new IllegalArgumentException("unpaired surrogate U+" + Integer.toHexString(s.charAt(unpaired))
                    + " at index " + unpaired);
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** The index of the first surrogate without its pair (such a string is not Unicode text), or -1. */
    static int unpairedSurrogateAt(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
