package io.awssecretsdriver.policy;

import io.awssecretsdriver.job.TrustedJobInfo;
import java.util.List;

/** The runner admin's rules on which secrets a job may read: the first matching rule decides. */
public record Policy(Effect defaultEffect, List<PolicyRule> rules) {
  public static final Policy ALLOW_ALL = new Policy(Effect.ALLOW, List.of());

  public Policy {
    rules = List.copyOf(rules);
  }

  public PolicyDecision decide(String secretId, boolean oidc, TrustedJobInfo job) {
    for (PolicyRule rule : rules) {
      if (rule.matches(secretId, oidc, job)) {
        return new PolicyDecision(rule.effect() == Effect.ALLOW, rule.label());
      }
    }
    return new PolicyDecision(defaultEffect == Effect.ALLOW, "policy.default: " + defaultEffect.name().toLowerCase());
  }
}
