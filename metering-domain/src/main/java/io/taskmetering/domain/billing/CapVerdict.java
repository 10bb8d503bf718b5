package io.taskmetering.domain.billing;

/** Whether one more charge fits under a subscription's caps. */
public sealed interface CapVerdict {
    enum WithinCaps implements CapVerdict { INSTANCE }

    /** {@code actualValue} is the count the admission would have reached. */
    record OverCap(CapType capType, long capValue, long actualValue) implements CapVerdict {
        /** Why the charge is held, as recorded on it: {@code cap_exceeded:hourly=100}. */
        public String holdReason() {
            return "cap_exceeded:" + capType.wireName() + "=" + capValue;
        }
    }
}
