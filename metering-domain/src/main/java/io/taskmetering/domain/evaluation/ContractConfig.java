package io.taskmetering.domain.evaluation;

import io.taskmetering.domain.common.InvalidValueException;
import io.taskmetering.domain.common.Require;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * The settings of one adherence contract. The version is recorded on every decision, so a decision can be replayed
 * against the exact rules it was made under: change any setting, change the version.
 *
 * @param requiredOutputKeys         output keys gate 2 demands, without duplicates, in the order reported when missing
 * @param intentResolutionThreshold  lowest {@code intent_resolution} score that passes gate 0
 * @param holdAmbiguousForReview     whether ambiguous outcomes (human hand-off, several agents) get review reasons
 */
public record ContractConfig(String version, List<String> requiredOutputKeys, boolean requireApproval,
                             boolean requireIntentResolution, double intentResolutionThreshold,
                             boolean holdAmbiguousForReview) {
    private static final ContractConfig DEFAULTS = new ContractConfig("default-v1", List.of(), false, false, 3.0, true);

    public ContractConfig {
        Require.id("contract_version", version);
        requiredOutputKeys = distinctKeys(requiredOutputKeys);
        if (!Double.isFinite(intentResolutionThreshold) || intentResolutionThreshold < 0) {
            throw new InvalidValueException("intent_resolution_threshold", "must be a finite number >= 0");
        }
        // -0.0 and 0.0 are one setting; records compare doubles bit-wise, and stored versions are compared by equals.
        intentResolutionThreshold += 0.0;
    }

    /** Version {@code default-v1}: no required keys, approval and intent gates off, threshold 3.0, ambiguity held. */
    public static ContractConfig defaults() {
        return DEFAULTS;
    }

    public ContractConfig withVersion(String newVersion) {
        return new ContractConfig(newVersion, requiredOutputKeys, requireApproval, requireIntentResolution,
                intentResolutionThreshold, holdAmbiguousForReview);
    }

    public ContractConfig withRequiredOutputKeys(List<String> keys) {
        return new ContractConfig(version, keys, requireApproval, requireIntentResolution,
                intentResolutionThreshold, holdAmbiguousForReview);
    }

    public ContractConfig withRequireApproval(boolean required) {
        return new ContractConfig(version, requiredOutputKeys, required, requireIntentResolution,
                intentResolutionThreshold, holdAmbiguousForReview);
    }

    public ContractConfig withRequireIntentResolution(boolean required) {
        return new ContractConfig(version, requiredOutputKeys, requireApproval, required,
                intentResolutionThreshold, holdAmbiguousForReview);
    }

    public ContractConfig withIntentResolutionThreshold(double threshold) {
        return new ContractConfig(version, requiredOutputKeys, requireApproval, requireIntentResolution,
                threshold, holdAmbiguousForReview);
    }

    public ContractConfig withHoldAmbiguousForReview(boolean hold) {
        return new ContractConfig(version, requiredOutputKeys, requireApproval, requireIntentResolution,
                intentResolutionThreshold, hold);
    }

    private static List<String> distinctKeys(List<String> keys) {
        if (keys == null) {
            return List.of();
        }
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (String key : keys) {
            distinct.add(Require.id("required_output_keys", key));
        }
        return List.copyOf(distinct);
    }
}
