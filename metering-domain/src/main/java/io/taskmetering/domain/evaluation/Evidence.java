package io.taskmetering.domain.evaluation;

import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.Require;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the agent runtime reports about one task; the only input of the gates.
 *
 * <p>Outputs and trace entries (JSON objects of any members; {@link TraceSpan} is the native API's shape of one)
 * are deep-copied into unmodifiable JSON-like values (insertion order kept, nulls allowed) and numbers
 * are brought to one canonical form (a {@code Long} when integral and within range, else a {@code BigDecimal}
 * without trailing zeros), so two evidences are equal exactly when their content is, whatever the map order or
 * number spelling, and a round trip through JSON text that reads decimals exactly gives back an equal evidence. The
 * digest reads every number as the double it denotes (RFC 8785), so evidences that differ only beyond a double's
 * precision share a digest. Anything the evidence digest cannot carry is refused up front,
 * naming the field: values JSON has no form for, numbers beyond the range of a double and strings that are not valid
 * Unicode (an unpaired surrogate), both of which RFC 8785 excludes.
 */
public record Evidence(Map<String, Object> outputs, List<Map<String, Object>> traces, Map<String, Double> scores,
                       String query, String response) {
    /**
     * Nesting that still fits {@link CanonicalJson#MAX_DEPTH} inside {@link #toJsonLike()}'s two levels (evidence,
     * outputs) or three (evidence, traces, entry); a trace entry's content starts one level deeper.
     */
    private static final int MAX_OUTPUT_DEPTH = CanonicalJson.MAX_DEPTH - 2;
    private static final String OUTPUTS = "evidence.outputs";
    private static final String TRACES = "evidence.traces";
    private static final String SCORES = "evidence.scores";
    private static final Evidence EMPTY = new Evidence(null, null, null, null, null);

    public Evidence {
        outputs = outputs == null ? Map.of() : copyObject(outputs, OUTPUTS, 0);
        traces = copyTraces(traces);
        scores = copyScores(scores);
        unicode("evidence.query", query);
        unicode("evidence.response", response);
    }

    /** Evidence with nothing reported: fails terminal success, so it is never billable. */
    public static Evidence empty() {
        return EMPTY;
    }

    /**
     * Whether an auditor has something to check the decision against: at least one output and at least one trace
     * entry. The definition behind the insights' evidence completeness.
     */
    public boolean complete() {
        return !outputs.isEmpty() && !traces.isEmpty();
    }

    /**
     * The evidence as JSON-like values with the API's snake_case keys; the input of the evidence digest and the
     * stored form of the evidence bundle.
     */
    public Map<String, Object> toJsonLike() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("outputs", outputs);
        json.put("traces", traces);
        json.put("scores", scores);
        json.put("query", query);
        json.put("response", response);
        return Collections.unmodifiableMap(json);
    }

    /**
     * The inverse of {@link #toJsonLike()}, also used for evidence arriving as JSON. Every key is optional and unknown
     * keys are ignored, as the sidecar API promises its clients; a null query or response is absent, but a null
     * where an object or a list belongs ({@code outputs}, {@code traces}, {@code scores}) is refused, naming the
     * field: a client that sends one has a defect, and reading it as "nothing reported" would fail its task silently.
     */
    public static Evidence fromJsonLike(Map<String, ?> json) {
        Require.present("evidence", json);
        return new Evidence(
                outputsFrom(json.get("outputs"), json.containsKey("outputs")),
                tracesFrom(json.get("traces"), json.containsKey("traces")),
                scoresFrom(json.get("scores"), json.containsKey("scores")),
                stringFrom(json.get("query"), "evidence.query"),
                stringFrom(json.get("response"), "evidence.response"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> outputsFrom(Object value, boolean sent) {
        if (sent && !(value instanceof Map)) {
            throw new InvalidValueException(OUTPUTS, "must be an object");
        }
        return (Map<String, Object>) value; // keys and values are checked by the constructor
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> tracesFrom(Object value, boolean sent) {
        if (!sent) {
            return null;
        }
        if (!(value instanceof List<?> list)) {
            throw new InvalidValueException(TRACES, "must be a list");
        }
        return (List<Map<String, Object>>) list; // each entry is checked by the constructor
    }

    private static Map<String, Double> scoresFrom(Object value, boolean sent) {
        if (!sent) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidValueException(SCORES, "must be an object");
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String name = scoreName(entry.getKey());
            if (!(entry.getValue() instanceof Number number)) {
                throw new InvalidValueException(SCORES + "." + name, "must be a number");
            }
            scores.put(name, number.doubleValue());
        }
        return scores;
    }

    private static String stringFrom(Object value, String field) {
        if (value != null && !(value instanceof String)) {
            throw new InvalidValueException(field, "must be a string");
        }
        return (String) value;
    }

    /** Each entry is a JSON object of any members, as the sidecar API accepts; {@link TraceSpan} is one such shape. */
    private static List<Map<String, Object>> copyTraces(List<? extends Map<?, ?>> traces) {
        if (traces == null) {
            return List.of();
        }
        List<Map<String, Object>> copy = new ArrayList<>(traces.size());
        for (int i = 0; i < traces.size(); i++) {
            String field = TRACES + "[" + i + "]";
            if (!((Object) traces.get(i) instanceof Map<?, ?> entry)) {
                throw new InvalidValueException(field, "must be an object");
            }
            copy.add(copyObject(entry, field, 1)); // inside the traces list
        }
        return Collections.unmodifiableList(copy);
    }

    private static Map<String, Double> copyScores(Map<String, Double> scores) {
        if (scores == null) {
            return Map.of();
        }
        Map<String, Double> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : scores.entrySet()) {
            String name = scoreName(entry.getKey());
            if (!(entry.getValue() instanceof Double score)) {
                throw new InvalidValueException(SCORES + "." + name, "must be a number");
            }
            if (!Double.isFinite(score)) {
                throw new InvalidValueException(SCORES + "." + name, "must be a finite number");
            }
            copy.put(name, score == 0.0 ? 0.0 : score); // -0.0 would differ from 0.0 yet write the same JSON
        }
        return Collections.unmodifiableMap(copy);
    }

    private static String scoreName(Object key) {
        if (!(key instanceof String name)) {
            throw new InvalidValueException(SCORES, "names must be strings");
        }
        return unicode(SCORES, name);
    }

    private static Map<String, Object> copyObject(Map<?, ?> map, String field, int depth) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new InvalidValueException(field, "object keys must be strings");
            }
            unicode(field, key);
            copy.put(key, copyValue(entry.getValue(), field + "." + key, depth));
        }
        return Collections.unmodifiableMap(copy);
    }

    /** {@code depth} counts the lists and objects that enclose {@code value} inside the outputs. */
    private static Object copyValue(Object value, String field, int depth) {
        if (value instanceof String text) {
            return unicode(field, text);
        }
        if (value == null || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number number) {
            return copyNumber(number, field);
        }
        if (value instanceof List || value instanceof Map) {
            if (depth >= MAX_OUTPUT_DEPTH) {
                throw new InvalidValueException(field, "must not nest deeper than " + MAX_OUTPUT_DEPTH + " levels");
            }
            if (value instanceof Map<?, ?> map) {
                return copyObject(map, field, depth + 1);
            }
            List<?> list = (List<?>) value;
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(copyValue(list.get(i), field + "[" + i + "]", depth + 1));
            }
            return Collections.unmodifiableList(copy);
        }
        throw notJson(field, value);
    }

    private static Number copyNumber(Number number, String field) {
        try {
            return JsonNumbers.canonical(number);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(field, e.getMessage());
        }
    }

    /** Refuses an unpaired surrogate: such a string is not Unicode text, and RFC 8785 cannot canonicalize it. */
    private static String unicode(String field, String text) {
        if (text != null && CanonicalJson.unpairedSurrogateAt(text) >= 0) {
            throw new InvalidValueException(field, "must be valid Unicode (it has an unpaired surrogate)");
        }
        return text;
    }

    private static InvalidValueException notJson(String field, Object value) {
        return new InvalidValueException(field,
                "must be null, a string, a boolean, a number, a list or an object, not "
                        + value.getClass().getSimpleName());
    }
}
