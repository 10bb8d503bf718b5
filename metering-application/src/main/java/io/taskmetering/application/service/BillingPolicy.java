package io.taskmetering.application.service;

import io.taskmetering.domain.billing.GuardrailCaps;
import io.taskmetering.domain.billing.HourPolicy;
import io.taskmetering.domain.charge.ChargingRules;
import io.taskmetering.domain.charge.DedupeScope;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.Require;
import io.taskmetering.domain.evaluation.ContractConfig;

import java.util.Objects;
import java.util.Set;

/**
 * The billing rules a deployment runs with, built once by bootstrap from configuration.
 *
 * @param ruleVersion recorded on every ledger entry, so a change of rules is visible in the history
 * @param redactKeys  evidence output keys (and {@code query}/{@code response}) replaced in evidence bundles
 */
public record BillingPolicy(
        ContractConfig contract,
        HourPolicy hours,
        GuardrailCaps caps,
        DedupeScope dedupeScope,
        Dimension defaultDimension,
        PlanId defaultPlan,
        String ruleVersion,
        Set<String> redactKeys) {
    public static final String DEFAULT_RULE_VERSION = "billing-rules-v1";

    public BillingPolicy {
        Objects.requireNonNull(contract, "contract");
        Objects.requireNonNull(hours, "hours");
        Objects.requireNonNull(caps, "caps");
        Objects.requireNonNull(dedupeScope, "dedupeScope");
        Objects.requireNonNull(defaultDimension, "defaultDimension");
        Objects.requireNonNull(defaultPlan, "defaultPlan");
        Require.id("rule_version", ruleVersion);
        redactKeys = Set.copyOf(redactKeys == null ? Set.of() : redactKeys);
    }

    /** The defaults docs/configuration.md lists: task-scoped dedupe, 10-minute grace, no caps, dimension task_completed. */
    public static BillingPolicy defaults(PlanId plan) {
        return new BillingPolicy(ContractConfig.defaults(), HourPolicy.defaults(), GuardrailCaps.unlimited(),
                DedupeScope.TASK, Dimension.TASK_COMPLETED, plan, DEFAULT_RULE_VERSION, Set.of());
    }

    /** The charging rules of this policy (hours, caps, dedupe scope), as the domain applies them. */
    public ChargingRules charging() {
        return new ChargingRules(hours, caps, dedupeScope);
    }

    public BillingPolicy withContract(ContractConfig newContract) {
        return new BillingPolicy(newContract, hours, caps, dedupeScope, defaultDimension, defaultPlan, ruleVersion, redactKeys);
    }

    public BillingPolicy withCaps(GuardrailCaps newCaps) {
        return new BillingPolicy(contract, hours, newCaps, dedupeScope, defaultDimension, defaultPlan, ruleVersion, redactKeys);
    }

    public BillingPolicy withDedupeScope(DedupeScope scope) {
        return new BillingPolicy(contract, hours, caps, scope, defaultDimension, defaultPlan, ruleVersion, redactKeys);
    }

    public BillingPolicy withHours(HourPolicy newHours) {
        return new BillingPolicy(contract, newHours, caps, dedupeScope, defaultDimension, defaultPlan, ruleVersion, redactKeys);
    }

    public BillingPolicy withRedactKeys(Set<String> keys) {
        return new BillingPolicy(contract, hours, caps, dedupeScope, defaultDimension, defaultPlan, ruleVersion, keys);
    }
}
