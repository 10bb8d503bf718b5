package io.taskmetering.adapter.persistence;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.taskmetering.domain.evaluation.Decision;
import io.taskmetering.domain.evaluation.Evidence;
import io.taskmetering.domain.evaluation.Gate;
import io.taskmetering.domain.evaluation.GateOutcome;
import io.taskmetering.domain.evaluation.GateResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON columns and cursors, written and read with Jackson. Decimals are read as BigDecimal, so evidence reads back
 * exactly as received; object members are written in sorted order, as every stored row has them.
 */
final class JsonColumns {
    /**
     * No length limits on reading: the text is what this module wrote (strings as long as the API admits, and
     * decimals of up to a thousand digits, written in plain notation by earlier versions).
     */
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(Integer.MAX_VALUE)
                            .maxNumberLength(Integer.MAX_VALUE)
                            .build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private JsonColumns() {
    }

    static String evidence(Evidence evidence) {
        return write(evidence.toJsonLike());
    }

    @SuppressWarnings("unchecked")
    static Evidence evidence(String json) {
        return Evidence.fromJsonLike((Map<String, ?>) read(json));
    }

    /**
     * A decision in its compact form: the reason codes (one per gate; each names its gate and outcome, and the gates
     * imply the rest) and the review reasons. Contract version and evidence digest are columns of their own.
     */
    static String decision(Decision d) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("reason_codes", d.reasonCodes());
        json.put("review_reasons", d.reviewReasons());
        return write(json);
    }

    /**
     * Reads either form: the compact one, or the full one earlier versions wrote (every
     * derived field and each gate spelled out, with its own contract version and digest).
     */
    static Decision decision(String text, String contractVersion, String evidenceSha256) {
        Map<?, ?> json = (Map<?, ?>) read(text);
        if (json.containsKey("reason_codes")) {
            return Decision.of(parseStrings(json.get("reason_codes")).stream().map(GateResult::ofReasonCode).toList(),
                    contractVersion, evidenceSha256, parseStrings(json.get("review_reasons")));
        }
        List<GateResult> gates = new ArrayList<>();
        for (Object o : (List<?>) json.get("gates")) {
            Map<?, ?> g = (Map<?, ?>) o;
            gates.add(new GateResult(gate((String) g.get("gate")), GateOutcome.valueOf((String) g.get("outcome")),
                    (String) g.get("reason_code")));
        }
        return new Decision((Boolean) json.get("intent_handled"), (Boolean) json.get("adhered"),
                ((Number) json.get("billable_units")).intValue(), gates, (String) json.get("contract_version"),
                (String) json.get("evidence_sha256"), parseStrings(json.get("review_reasons")));
    }

    static String strings(List<String> values) {
        return write(values);
    }

    static List<String> parseStrings(Object parsedOrText) {
        Object value = parsedOrText instanceof String s ? read(s) : parsedOrText;
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) value) {
            out.add((String) o);
        }
        return out;
    }

    static String stringMap(Map<String, String> map) {
        return write(map);
    }

    static Map<String, String> stringMap(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        ((Map<?, ?>) read(text)).forEach((k, v) -> out.put((String) k, (String) v));
        return out;
    }

    /** JSON text of plain values (maps, lists, strings, numbers, booleans, null). */
    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not writable as JSON: " + value.getClass().getName(), e);
        }
    }

    /**
     * Plain values of one JSON text: maps, lists, strings, booleans, null, Long (or BigInteger) integers and BigDecimal
     * decimals.
     *
     * @throws IllegalArgumentException when the text is not one JSON value
     */
    static Object read(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not one JSON value: " + e.getOriginalMessage(), e);
        }
    }

    private static Gate gate(String code) {
        for (Gate gate : Gate.values()) {
            if (gate.code().equals(code)) {
                return gate;
            }
        }
        throw new IllegalStateException("stored decision names an unknown gate '" + code + "'");
    }
}
