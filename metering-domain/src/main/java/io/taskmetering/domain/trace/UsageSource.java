package io.taskmetering.domain.trace;

/**
 * Where a task's token counts came from: the agent span's own {@code gen_ai.usage.*} attributes, else the sum over
 * the inference spans below it (never both, so nothing is counted twice), else none were reported.
 */
public enum UsageSource {
    AGENT_SPAN, INFERENCE_SPANS, NONE;

    /** As written in the evidence. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
