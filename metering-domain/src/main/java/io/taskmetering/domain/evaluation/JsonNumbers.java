package io.taskmetering.domain.evaluation;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The one form of a number inside {@link Evidence}: a {@code Long} when the value is integral and fits, otherwise a
 * {@code BigDecimal} without trailing zeros. It keeps the value exactly as received (the evidence is shown back as it
 * came) and makes equal numbers equal. The digest reads each number as the double it denotes (RFC 8785), so a number
 * must lie within the range of a double.
 */
final class JsonNumbers {
    /**
     * Largest decimal exponent accepted, either way. It covers every double, and bounds the work one number costs
     * (a few bytes such as {@code 1e-999999999} would otherwise be a value whose plain decimal form takes gigabytes).
     */
    static final int MAX_EXPONENT = 1000;

    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final double TWO_TO_63 = 0x1p63;

    private JsonNumbers() {
    }

    /**
     * The canonical form of an Integer, Long, BigInteger, BigDecimal, Double or Float.
     *
     * @throws IllegalArgumentException with a reason fit for a field error, for any other type, a non-finite value,
     *                                  an exponent beyond {@link #MAX_EXPONENT} or a magnitude beyond the largest
     *                                  double
     */
    static Number canonical(Number number) {
        if (number instanceof Long || number instanceof Integer) {
            return number.longValue();
        }
        if (number instanceof Double || number instanceof Float) {
            if (!Double.isFinite(number.doubleValue())) {
                throw new IllegalArgumentException("must be a finite number");
            }
            return number instanceof Float f ? canonical(new BigDecimal(Float.toString(f))) : canonical(number.doubleValue());
        }
        if (number instanceof BigDecimal || number instanceof BigInteger) {
            return canonical(number instanceof BigInteger big ? new BigDecimal(big) : (BigDecimal) number);
        }
        throw new IllegalArgumentException("must be an Integer, Long, BigInteger, BigDecimal, Double or Float, not "
                + number.getClass().getSimpleName());
    }

    private static Number canonical(BigDecimal value) {
        if (value.signum() == 0) {
            return 0L;
        }
        BigDecimal stripped;
        try {
            stripped = value.stripTrailingZeros();
        } catch (ArithmeticException scaleOverflow) {
            stripped = null;
        }
        if (stripped == null || stripped.scale() < -MAX_EXPONENT || stripped.scale() > MAX_EXPONENT) {
            throw new IllegalArgumentException("must have a decimal exponent within ±" + MAX_EXPONENT);
        }
        if (Double.isInfinite(stripped.doubleValue())) {
            throw new IllegalArgumentException("must be within the range of a double (at most "
                    + Double.MAX_VALUE + " in magnitude)");
        }
        if (stripped.scale() <= 0 && stripped.compareTo(LONG_MIN) >= 0 && stripped.compareTo(LONG_MAX) <= 0) {
            return stripped.longValueExact();
        }
        return stripped;
    }

    /** Integral values within long range exactly as a long, every other value by {@link BigDecimal#valueOf(double)}. */
    private static Number canonical(double value) {
        if (value == Math.rint(value) && value >= -TWO_TO_63 && value < TWO_TO_63) {
            return (long) value;
        }
        return BigDecimal.valueOf(value).stripTrailingZeros();
    }
}
