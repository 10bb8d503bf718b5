package io.taskmetering.domain.evaluation;

import io.taskmetering.domain.common.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContractConfigTest {
    private static final ContractConfig DEFAULTS = ContractConfig.defaults();

    private static void assertRejected(Runnable construction, String field) {
        assertThatThrownBy(construction::run)
                .isInstanceOfSatisfying(InvalidValueException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void defaultsMatchTheDesign() {
        assertThat(DEFAULTS).isEqualTo(new ContractConfig("default-v1", List.of(), false, false, 3.0, true));
    }

    @Test
    void withersChangeExactlyOneSetting() {
        assertThat(DEFAULTS.withVersion("v2"))
                .isEqualTo(new ContractConfig("v2", List.of(), false, false, 3.0, true));
        assertThat(DEFAULTS.withRequiredOutputKeys(List.of("result")))
                .isEqualTo(new ContractConfig("default-v1", List.of("result"), false, false, 3.0, true));
        assertThat(DEFAULTS.withRequireApproval(true))
                .isEqualTo(new ContractConfig("default-v1", List.of(), true, false, 3.0, true));
        assertThat(DEFAULTS.withRequireIntentResolution(true))
                .isEqualTo(new ContractConfig("default-v1", List.of(), false, true, 3.0, true));
        assertThat(DEFAULTS.withIntentResolutionThreshold(4.5))
                .isEqualTo(new ContractConfig("default-v1", List.of(), false, false, 4.5, true));
        assertThat(DEFAULTS.withHoldAmbiguousForReview(false))
                .isEqualTo(new ContractConfig("default-v1", List.of(), false, false, 3.0, false));
        assertThat(DEFAULTS).isEqualTo(ContractConfig.defaults());
    }

    @Test
    void negativeZeroThresholdIsTheSameSettingAsZero() {
        assertThat(DEFAULTS.withIntentResolutionThreshold(-0.0)).isEqualTo(DEFAULTS.withIntentResolutionThreshold(0.0));
    }

    @Test
    void deduplicatesRequiredKeysKeepingTheirFirstPosition() {
        ContractConfig config = DEFAULTS.withRequiredOutputKeys(List.of("b", "a", "b", "c", "a"));

        assertThat(config.requiredOutputKeys()).containsExactly("b", "a", "c");
    }

    @Test
    void copiesRequiredKeysIntoAnUnmodifiableList() {
        List<String> keys = new ArrayList<>(List.of("result"));
        ContractConfig config = DEFAULTS.withRequiredOutputKeys(keys);
        keys.add("late");

        assertThat(config.requiredOutputKeys()).containsExactly("result");
        assertThatThrownBy(() -> config.requiredOutputKeys().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(DEFAULTS.withRequiredOutputKeys(null).requiredOutputKeys()).isEmpty();
    }

    @Test
    void acceptsAZeroThreshold() {
        assertThat(DEFAULTS.withIntentResolutionThreshold(0).intentResolutionThreshold()).isZero();
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void refusesAThresholdThatIsNegativeOrNotFinite(double threshold) {
        assertRejected(() -> DEFAULTS.withIntentResolutionThreshold(threshold), "intent_resolution_threshold");
    }

    @Test
    void requiresAVersionThatIsAnIdentifier() {
        assertRejected(() -> DEFAULTS.withVersion(null), "contract_version");
        assertRejected(() -> DEFAULTS.withVersion(" "), "contract_version");
        assertRejected(() -> DEFAULTS.withVersion("v\n1"), "contract_version");
        assertRejected(() -> DEFAULTS.withVersion("v".repeat(257)), "contract_version");
    }

    @Test
    void requiresEveryKeyToBeAnIdentifier() {
        assertRejected(() -> DEFAULTS.withRequiredOutputKeys(Arrays.asList("result", null)), "required_output_keys");
        assertRejected(() -> DEFAULTS.withRequiredOutputKeys(List.of("")), "required_output_keys");
        assertRejected(() -> DEFAULTS.withRequiredOutputKeys(List.of("a\tb")), "required_output_keys");
    }
}
