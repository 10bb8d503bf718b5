package io.taskmetering.application.model;

/**
 * How a stored decision's evidence digest was computed, so an auditor knows how to recompute it. Every decision made
 * now uses RFC 8785; decisions stored before keep the digest they were given, over the earlier canonical form.
 */
public enum EvidenceCanonicalization {
    /** SHA-256 over the RFC 8785 (JSON Canonicalization Scheme) form of the evidence. */
    RFC8785("RFC8785"),
    /**
     * SHA-256 over the earlier canonical form: as RFC 8785, except that every number is written exactly in plain
     * decimal notation (no exponent, no trailing zeros) rather than as a double.
     */
    LEGACY("legacy");

    private final String label;

    EvidenceCanonicalization(String label) {
        this.label = label;
    }

    /** The name stored and shown in the evidence bundle. */
    public String label() {
        return label;
    }

    public static EvidenceCanonicalization ofLabel(String label) {
        for (EvidenceCanonicalization c : values()) {
            if (c.label.equals(label)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown evidence canonicalization '" + label + "'");
    }
}
