package io.taskmetering.domain.evaluation;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.erdtman.jcs.NumberToJSON;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Numbers as RFC 8785 writes them: ECMAScript's Number.prototype.toString of the double. */
class EcmaScriptNumbersTest {
    /** RFC 8785 Appendix B, every row with a JSON form: the IEEE 754 bits and the expected text. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0000000000000000, 0",
            "8000000000000000, 0",
            "0000000000000001, 5e-324",
            "8000000000000001, -5e-324",
            "7fefffffffffffff, 1.7976931348623157e+308",
            "ffefffffffffffff, -1.7976931348623157e+308",
            "4340000000000000, 9007199254740992",
            "c340000000000000, -9007199254740992",
            "4430000000000000, 295147905179352830000",
            "44b52d02c7e14af5, 9.999999999999997e+22",
            "44b52d02c7e14af6, 1e+23",
            "44b52d02c7e14af7, 1.0000000000000001e+23",
            "444b1ae4d6e2ef4e, 999999999999999700000",
            "444b1ae4d6e2ef4f, 999999999999999900000",
            "444b1ae4d6e2ef50, 1e+21",
            "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
            "3eb0c6f7a0b5ed8d, 0.000001",
            "41b3de4355555553, 333333333.3333332",
            "41b3de4355555554, 333333333.33333325",
            "41b3de4355555555, 333333333.3333333",
            "41b3de4355555556, 333333333.3333334",
            "41b3de4355555557, 333333333.33333343",
            "becbf647612f3696, -0.0000033333333333333333",
            "43143ff3c1cb0959, 1424953923781206.2"})
    void writesTheRfc8785AppendixBSamples(String ieee754, String json) {
        assertThat(EcmaScriptNumbers.toString(Double.longBitsToDouble(Long.parseUnsignedLong(ieee754, 16))))
                .isEqualTo(json);
    }

    /** RFC 8785 Appendix B also lists NaN and Infinity: they have no JSON form and must be refused. */
    @ParameterizedTest
    @CsvSource({"7fffffffffffffff", "7ff0000000000000", "fff0000000000000"})
    void refusesTheRfc8785AppendixBValuesWithoutJsonForm(String ieee754) {
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(ieee754, 16));

        assertThatThrownBy(() -> EcmaScriptNumbers.toString(value)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Where ECMAScript and {@link Double#toString(double)} part ways: exponent thresholds and spelling. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "1.0, 1",
            "-3.0, -3",
            "100.0, 100",
            "0.5, 0.5",
            "1.0E-6, 0.000001",
            "1.0E-7, 1e-7",
            "1.5E-7, 1.5e-7",
            "1.0E20, 100000000000000000000",
            "1.0E21, 1e+21",
            "1.2345E21, 1.2345e+21",
            "1.0E30, 1e+30",
            "0.002, 0.002",
            "1.0E-27, 1e-27",
            "4.5, 4.5",
            "123456789.125, 123456789.125",
            "1.2345678901234567E18, 1234567890123456800",
            "9.223372036854775807E18, 9223372036854776000",
            "4.9E-324, 5e-324"})
    void followsEcmaScriptWhereJavaDiffers(double value, String json) {
        assertThat(EcmaScriptNumbers.toString(value)).isEqualTo(json);
    }

    /** RFC 8785 §3.2.2.3: 333333333.33333329 in the input is 333333333.3333333 in the canonical form. */
    @Test
    void writesTheDoubleTheInputDenotesNotTheInputDigits() {
        assertThat(EcmaScriptNumbers.toString(Double.parseDouble("333333333.33333329"))).isEqualTo("333333333.3333333");
        assertThat(EcmaScriptNumbers.toString((double) 9_007_199_254_740_993L)).isEqualTo("9007199254740992");
    }

    /**
     * Differential check against an independent RFC 8785 implementation, over normal doubles: that library writes
     * subnormals wrongly (1e-320 as "0.000…0001e-178"), so they are checked by {@link #isTheShortestThatReadsBack}.
     */
    @Property(tries = 20_000)
    void agreesWithAnIndependentImplementation(@ForAll("finiteDoubles") double value) throws IOException {
        Assume.that(value == 0 || Math.abs(value) >= Double.MIN_NORMAL);
        assertThat(EcmaScriptNumbers.toString(value)).isEqualTo(NumberToJSON.serializeNumber(value));
    }

    /** ECMAScript's digits are the fewest that read back as the value: one digit fewer never does. */
    @Property(tries = 20_000)
    void isTheShortestThatReadsBack(@ForAll("finiteDoubles") double value) {
        BigDecimal written = new BigDecimal(EcmaScriptNumbers.toString(value).replace("e+", "e"));
        int digits = written.stripTrailingZeros().precision();
        Assume.that(digits > 1);
        for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
            double shorter = written.round(new MathContext(digits - 1, mode)).doubleValue();
            assertThat(shorter).as("%s with %d digits", value, digits - 1).isNotEqualTo(value);
        }
    }

    @Property(tries = 20_000)
    void readsBackAsTheSameDouble(@ForAll("finiteDoubles") double value) {
        assertThat(Double.parseDouble(EcmaScriptNumbers.toString(value))).isEqualTo(value == 0 ? 0.0 : value);
    }

    /** Any bit pattern (subnormals, powers of two, the extremes), plus short decimals and integers near 2^53. */
    @Provide
    Arbitrary<Double> finiteDoubles() {
        Arbitrary<Double> anyBits = Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite);
        Arbitrary<Double> shortDecimals = Arbitraries.integers().between(-999_999, 999_999)
                .flatMap(digits -> Arbitraries.integers().between(-330, 310)
                        .map(exponent -> Double.parseDouble(digits + "e" + exponent)))
                .filter(Double::isFinite);
        Arbitrary<Double> nearTwoTo53 = Arbitraries.longs().between(-(1L << 60), 1L << 60).map(Long::doubleValue);
        Arbitrary<Double> powersOfTwo = Arbitraries.integers().between(-1074, 1023).map(e -> Math.scalb(1.0, e));
        return Arbitraries.oneOf(anyBits, shortDecimals, nearTwoTo53, powersOfTwo);
    }
}
