package io.taskmetering.domain.insight;

/**
 * A share: {@code numerator} of {@code denominator}. Its value is absent when the denominator is zero (nothing to
 * divide, which is not the same as a rate of zero). Charges count by billing hour and reports by the hour they
 * occurred, so a late charge can lift one hour's numerator above its denominator: that is shown, not hidden.
 */
public record Rate(long numerator, long denominator) {
    public Rate {
        if (numerator < 0 || denominator < 0) {
            throw new IllegalArgumentException("a rate needs counts >= 0, got "
                    + numerator + "/" + denominator);
        }
    }

    /** numerator / denominator, or null when the denominator is zero. */
    public Double value() {
        return denominator == 0 ? null : (double) numerator / denominator;
    }
}
