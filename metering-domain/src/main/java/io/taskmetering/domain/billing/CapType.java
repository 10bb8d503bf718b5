package io.taskmetering.domain.billing;

/** The period a guardrail cap counts over: one UTC hour or one UTC day, per subscription. */
public enum CapType {
    HOURLY, DAILY;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
