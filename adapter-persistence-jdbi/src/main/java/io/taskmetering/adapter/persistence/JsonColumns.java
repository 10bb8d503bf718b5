package io.taskmetering.adapter.persistence;

import io.taskmetering.domain.evaluation.CanonicalJson;
import io.taskmetering.domain.evaluation.Decision;
import io.taskmetering.domain.evaluation.Evidence;
import io.taskmetering.domain.evaluation.Gate;
import io.taskmetering.domain.evaluation.GateOutcome;
import io.taskmetering.domain.evaluation.GateResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON columns, written and parsed with the domain's canonical JSON (no JSON library in this module). */
final class JsonColumns {
    private JsonColumns() {
    }

    static String evidence(Evidence evidence) {
        return CanonicalJson.write(evidence.toJsonLike());
    }

    @SuppressWarnings("unchecked")
    static Evidence evidence(String json) {
        return Evidence.fromJsonLike((Map<String, ?>) CanonicalJson.parse(json));
    }

    static String decision(Decision d) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("intent_handled", d.intentHandled());
        json.put("adhered", d.adhered());
        json.put("billable_units", d.billableUnits());
        List<Object> gates = new ArrayList<>();
        for (GateResult gate : d.gates()) {
            gates.add(Map.of("gate", gate.gate().code(), "outcome", gate.outcome().name(), "reason_code", gate.reasonCode()));
        }
        json.put("gates", gates);
        json.put("contract_version", d.contractVersion());
        json.put("evidence_sha256", d.evidenceSha256());
        json.put("review_reasons", d.reviewReasons());
        return CanonicalJson.write(json);
    }

    static Decision decision(String text) {
        Map<?, ?> json = (Map<?, ?>) CanonicalJson.parse(text);
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
        return CanonicalJson.write(values);
    }

    static List<String> parseStrings(Object parsedOrText) {
        Object value = parsedOrText instanceof String s ? CanonicalJson.parse(s) : parsedOrText;
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) value) {
            out.add((String) o);
        }
        return out;
    }

    static String stringMap(Map<String, String> map) {
        return CanonicalJson.write(map);
    }

    static Map<String, String> stringMap(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        ((Map<?, ?>) CanonicalJson.parse(text)).forEach((k, v) -> out.put((String) k, (String) v));
        return out;
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
