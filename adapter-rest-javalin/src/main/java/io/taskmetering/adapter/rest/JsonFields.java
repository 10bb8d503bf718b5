package io.taskmetering.adapter.rest;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the fields of one JSON object and names the offending field on every failure. In strict mode (native
 * routes) a null value is refused, as is any field the caller never asked for ({@link #rejectUnknown()}); in lenient
 * mode (sidecar routes) a null counts as absent and unknown fields are ignored, as the original sidecar did.
 */
final class JsonFields {
    private final JsonNode node;
    private final String path;
    private final boolean strict;
    private final int maxStringLength;
    private final Set<String> known = new HashSet<>();

    private JsonFields(JsonNode node, String path, boolean strict, int maxStringLength) {
        this.node = node;
        this.path = path;
        this.strict = strict;
        this.maxStringLength = maxStringLength;
    }

    /** The object at {@code path} ({@code ""} for the body); anything else is a 400 naming it. */
    static JsonFields strict(JsonNode node, String path, int maxStringLength) {
        return of(node, path, true, maxStringLength);
    }

    static JsonFields lenient(JsonNode node, String path, int maxStringLength) {
        return of(node, path, false, maxStringLength);
    }

    private static JsonFields of(JsonNode node, String path, boolean strict, int maxStringLength) {
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest(path.isEmpty() ? "body" : path, "must be a JSON object");
        }
        return new JsonFields(node, path, strict, maxStringLength);
    }

    String name(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The value of {@code key}, null when absent (or null in lenient mode); refuses null in strict mode. */
    private JsonNode value(String key, boolean required) {
        known.add(key);
        JsonNode value = node.get(key);
        if (value != null && value.isNull()) {
            if (strict) {
                throw ApiException.badRequest(name(key), required ? "is required and must not be null"
                        : "must not be null (omit the field instead)");
            }
            value = null;
        }
        if (value == null && required) {
            throw ApiException.badRequest(name(key), "is required");
        }
        return value;
    }

    /** Whether {@code key} is sent as JSON null, which lenient reading otherwise takes for absent. */
    boolean isNull(String key) {
        JsonNode value = node.get(key);
        return value != null && value.isNull();
    }

    boolean present(String key) {
        JsonNode value = node.get(key);
        return value != null && !value.isNull();
    }

    String string(String key, boolean required) {
        JsonNode value = value(key, required);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest(name(key), "must be a string");
        }
        return checkLength(name(key), value.textValue());
    }

    Long integer(String key, boolean required) {
        JsonNode value = value(key, required);
        return value == null ? null : integerValue(name(key), value);
    }

    Boolean bool(String key, boolean required) {
        JsonNode value = value(key, required);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw ApiException.badRequest(name(key), "must be true or false");
        }
        return value.booleanValue();
    }

    /** A finite JSON number. */
    Double number(String key, boolean required) {
        JsonNode value = value(key, required);
        return value == null ? null : finiteNumber(name(key), value);
    }

    private static double finiteNumber(String field, JsonNode value) {
        if (!value.isNumber()) {
            throw ApiException.badRequest(field, "must be a number");
        }
        double number = value.doubleValue();
        if (!Double.isFinite(number)) {
            throw ApiException.unprocessable(field, "must be a finite number");
        }
        return number;
    }

    Instant timestamp(String key, boolean required) {
        return Timestamps.parse(name(key), string(key, required));
    }

    JsonFields object(String key, boolean required) {
        JsonNode value = value(key, required);
        return value == null ? null : of(value, name(key), strict, maxStringLength);
    }

    /** The elements of an array field; each is named {@code key[i]}. */
    List<JsonNode> array(String key, boolean required) {
        JsonNode value = value(key, required);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw ApiException.badRequest(name(key), "must be a JSON array");
        }
        List<JsonNode> elements = new ArrayList<>(value.size());
        value.forEach(elements::add);
        return elements;
    }

    /** An object of numbers, e.g. {@code scores}. */
    Map<String, Double> numbers(String key) {
        JsonFields object = object(key, false);
        if (object == null) {
            return null;
        }
        Map<String, Double> numbers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : object.node.properties()) {
            String field = object.name(entry.getKey());
            checkLength(field, entry.getKey());
            numbers.put(entry.getKey(), finiteNumber(field, entry.getValue()));
        }
        return numbers;
    }

    /** A free-form JSON object as plain Java values (Map, List, String, Boolean, Long, BigInteger, BigDecimal, null). */
    Map<String, Object> plainObject(String key) {
        JsonNode value = value(key, false);
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            throw ApiException.badRequest(name(key), "must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> plain = (Map<String, Object>) plain(value, name(key));
        return plain;
    }

    /** In strict mode, refuses any field that no accessor asked for, naming the first one. */
    void rejectUnknown() {
        if (!strict) {
            return;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (!known.contains(key)) {
                throw ApiException.badRequest(name(safeName(key)), "is not a known field");
            }
        }
    }

    private Object plain(JsonNode value, String field) {
        if (value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return checkLength(field, value.textValue());
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? (Object) value.longValue() : value.bigIntegerValue();
        }
        if (value.isNumber()) {
            return value.isBigDecimal() ? value.decimalValue() : BigDecimal.valueOf(value.doubleValue());
        }
        if (value.isArray()) {
            List<Object> list = new ArrayList<>(value.size());
            int i = 0;
            for (JsonNode element : value) {
                list.add(plain(element, field + "[" + i++ + "]"));
            }
            return Collections.unmodifiableList(list);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            String child = field + "." + safeName(entry.getKey());
            checkLength(child, entry.getKey());
            map.put(entry.getKey(), plain(entry.getValue(), child));
        }
        return map;
    }

    static Long integerValue(String field, JsonNode value) {
        if (!value.isNumber()) {
            throw ApiException.badRequest(field, "must be an integer");
        }
        if (!value.isIntegralNumber()) {
            BigDecimal decimal = value.decimalValue();
            if (decimal.signum() != 0 && decimal.stripTrailingZeros().scale() > 0) {
                throw ApiException.badRequest(field, "must be an integer");
            }
            try {
                return decimal.longValueExact();
            } catch (ArithmeticException e) {
                throw ApiException.unprocessable(field, "is out of range");
            }
        }
        if (!value.canConvertToLong()) {
            throw ApiException.unprocessable(field, "is out of range");
        }
        return value.longValue();
    }

    private String checkLength(String field, String text) {
        if (text.length() > maxStringLength) {
            throw ApiException.unprocessable(field, "must be at most " + maxStringLength + " characters");
        }
        return text;
    }

    /** A field name fit to echo back: bounded and without control characters. */
    static String safeName(String key) {
        StringBuilder out = new StringBuilder(Math.min(key.length(), 64));
        for (int i = 0; i < key.length() && out.length() < 64; i++) {
            char c = key.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return key.length() > 64 ? out + "…" : out.toString();
    }
}
