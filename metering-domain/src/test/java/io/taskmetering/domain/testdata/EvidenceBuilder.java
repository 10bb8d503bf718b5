package io.taskmetering.domain.testdata;

import io.taskmetering.domain.evaluation.Evidence;
import io.taskmetering.domain.evaluation.TraceSpan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test data for {@link Evidence}, shared with other modules through the domain test-jar. Starts from the happy
 * path (a completed task that passes every default gate) so a test states only what it changes.
 */
public final class EvidenceBuilder {
    private final Map<String, Object> outputs = new LinkedHashMap<>();
    private final List<Map<String, Object>> traces = new ArrayList<>();
    private final Map<String, Double> scores = new LinkedHashMap<>();
    private String query = "Summarize the Q3 report";
    private String response = "Revenue grew 12% YoY with strong margins.";

    private EvidenceBuilder() {
        outputs.put("status", "completed");
        outputs.put("result", "Summary generated");
    }

    /** A successful completed task with query, response and outputs {@code {status: completed, result: …}}. */
    public static EvidenceBuilder anEvidence() {
        return new EvidenceBuilder();
    }

    /** Adds or replaces an output; {@code value} may be null. */
    public EvidenceBuilder withOutput(String key, Object value) {
        outputs.put(key, value);
        return this;
    }

    public EvidenceBuilder withoutOutput(String key) {
        outputs.remove(key);
        return this;
    }

    public EvidenceBuilder withScore(String name, double value) {
        scores.put(name, value);
        return this;
    }

    public EvidenceBuilder withQuery(String newQuery) {
        query = newQuery;
        return this;
    }

    public EvidenceBuilder withResponse(String newResponse) {
        response = newResponse;
        return this;
    }

    public EvidenceBuilder withTrace(TraceSpan span) {
        traces.add(span.toJson());
        return this;
    }

    /** Adds a trace entry of any shape, as the sidecar API accepts. */
    public EvidenceBuilder withTraceEntry(Map<String, Object> entry) {
        traces.add(entry);
        return this;
    }

    public Evidence build() {
        return new Evidence(outputs, traces, scores, query, response);
    }
}
