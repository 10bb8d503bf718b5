package io.taskmetering.domain.evaluation;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A double as ECMAScript's {@code Number.prototype.toString} writes it, which is how RFC 8785 serializes every JSON
 * number. Written out here because {@link Double#toString(double)} differs: it always shows a fraction or an
 * exponent ({@code 1.0}, {@code 1.0E21}), switches to exponents at other magnitudes, and before JDK 19 it does not
 * always give the fewest digits ({@code 4.9E-324} for {@code 5e-324}).
 */
final class EcmaScriptNumbers {
    private static final double TWO_TO_53 = 0x1p53;
    private static final BigDecimal HALF = new BigDecimal("0.5");
    /** Seventeen significant digits always identify a double. */
    private static final int MAX_DIGITS = 17;

    private EcmaScriptNumbers() {
    }

    /**
     * @throws IllegalArgumentException for NaN and the infinities, which have no JSON form
     */
    static String toString(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("NaN and infinities have no JSON form, got " + value);
        }
        if (value == 0) {
            return "0"; // also -0
        }
        if (value < 0) {
            return "-" + toString(-value);
        }
        if (value <= TWO_TO_53 && value == Math.rint(value)) {
            return Long.toString((long) value); // every integer up to 2^53 is a double, written in full
        }
        BigDecimal shortest = shortest(value);
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        int n = k - shortest.scale(); // value = digits × 10^(n − k), in the terms of ECMA-262 Number::toString
        if (k <= n && n <= 21) {
            return digits + "0".repeat(n - k);
        }
        if (0 < n && n <= 21) {
            return digits.substring(0, n) + "." + digits.substring(n);
        }
        if (-6 < n && n <= 0) {
            return "0." + "0".repeat(-n) + digits;
        }
        String mantissa = k == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return mantissa + "e" + (n - 1 < 0 ? "-" : "+") + Math.abs(n - 1);
    }

    /**
     * The decimal with the fewest significant digits that reads back as {@code value} (positive, finite); among
     * several, the closest to it, and of two equally close the one with an even last digit.
     */
    private static BigDecimal shortest(double value) {
        RoundTripInterval interval = new RoundTripInterval(value);
        int low = 1;
        int high = MAX_DIGITS;
        while (low < high) { // "some candidate of p digits reads back" only turns from false to true as p grows
            int p = (low + high) >>> 1;
            if (interval.closestWithDigits(p) != null) {
                high = p;
            } else {
                low = p + 1;
            }
        }
        return interval.closestWithDigits(low).stripTrailingZeros();
    }

    /** The decimals that round to {@code value} when read: those between the midpoints to its neighbours. */
    private static final class RoundTripInterval {
        private final BigDecimal exact;
        private final BigDecimal low;
        private final BigDecimal high;
        /** Reading rounds half to even, so a midpoint reads back as {@code value} exactly when its significand is even. */
        private final boolean inclusive;

        RoundTripInterval(double value) {
            exact = new BigDecimal(value);
            low = exact.add(new BigDecimal(Math.nextDown(value))).multiply(HALF);
            high = exact.add(new BigDecimal(Math.ulp(value)).multiply(HALF)); // ulp: also right for the largest double
            inclusive = (Double.doubleToRawLongBits(value) & 1) == 0;
        }

        /** The closest decimal of at most {@code digits} significant digits inside the interval, or null if none. */
        BigDecimal closestWithDigits(int digits) {
            BigDecimal below = exact.round(new MathContext(digits, RoundingMode.FLOOR));
            BigDecimal above = exact.round(new MathContext(digits, RoundingMode.CEILING));
            boolean belowInside = contains(below);
            boolean aboveInside = contains(above);
            if (belowInside && aboveInside) {
                int closer = exact.subtract(below).compareTo(above.subtract(exact));
                if (closer != 0) {
                    return closer < 0 ? below : above;
                }
                return below.unscaledValue().testBit(0) ? above : below;
            }
            return belowInside ? below : aboveInside ? above : null;
        }

        private boolean contains(BigDecimal candidate) {
            int fromLow = candidate.compareTo(low);
            int fromHigh = candidate.compareTo(high);
            return inclusive ? fromLow >= 0 && fromHigh <= 0 : fromLow > 0 && fromHigh < 0;
        }
    }
}
