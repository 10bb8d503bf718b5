package io.taskmetering.domain.evaluation;

import java.math.BigDecimal;

/**
 * The one canonical form of a JSON number, shared by {@link Evidence} and {@link CanonicalJson}: a {@code Long} when
 * the value is integral and fits, otherwise a {@code BigDecimal} without trailing zeros. Sharing it is what lets
 * evidence survive a round trip through JSON text unchanged, and what makes equal numbers hash equally.
 */
final class JsonNumbers {
    /**
     * Largest decimal exponent accepted. It covers every double, and bounds the plain-text form so that a few bytes
     * such as {@code 1e999999999} cannot expand into gigabytes when written.
     */
    static final int MAX_EXPONENT = 1000;

    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final double TWO_TO_63 = 0x1p63;

    private JsonNumbers() {
    }

    /** Whether the value's exponent is within {@link #MAX_EXPONENT}; zero always is. */
    static boolean inRange(BigDecimal value) {
        if (value.signum() == 0) {
            return true;
        }
        int scale;
        try {
            scale = value.stripTrailingZeros().scale();
        } catch (ArithmeticException scaleOverflow) {
            return false;
        }
        return scale >= -MAX_EXPONENT && scale <= MAX_EXPONENT;
    }

    /** The canonical form of an in-range value. */
    static Number canonical(BigDecimal value) {
        if (value.signum() == 0) {
            return 0L;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() <= 0 && stripped.compareTo(LONG_MIN) >= 0 && stripped.compareTo(LONG_MAX) <= 0) {
            return stripped.longValueExact();
        }
        return stripped;
    }

    /**
     * The canonical form of a finite double: integral values within long range exactly as a long, every other value
     * by its shortest decimal representation ({@link BigDecimal#valueOf(double)}).
     */
    static Number canonical(double value) {
        if (value == Math.rint(value) && value >= -TWO_TO_63 && value < TWO_TO_63) {
            return (long) value;
        }
        return BigDecimal.valueOf(value).stripTrailingZeros();
    }

    /** A float by its own shortest decimal form, so {@code 0.1f} stays 0.1 rather than 0.100000001490116…. */
    static Number canonical(float value) {
        return canonical(new BigDecimal(Float.toString(value)));
    }
}
