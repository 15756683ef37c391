package io.awssecretsdriver.policy;

import io.awssecretsdriver.definition.SecretDefinition;
import io.awssecretsdriver.job.TrustedJobInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides, before any AWS call, which names a definition may be looked up under: the lookup
 * templates' candidates that the policy allows. No allowed name means the secret is denied.
 */
public record AccessCheck(Policy policy, LookupTemplates templates) {

  public Verdict check(SecretDefinition definition, TrustedJobInfo job) {
    List<String> allowed = new ArrayList<>();
    List<String> denials = new ArrayList<>();
    for (String candidate : templates.candidates(definition.secretId(), job)) {
      PolicyDecision d = policy.decide(candidate, definition.usesOidc(), job);
      if (d.allowed()) {
        allowed.add(candidate);
      } else {
        denials.add("'" + candidate + "' by " + d.rule());
      }
    }
    if (allowed.isEmpty()) {
      String names = denials.isEmpty() ? "no lookup name could be formed from the job's trusted data" : String.join(", ", denials);
      return new Verdict(List.of(), "denied by the runner's secrets policy (" + names + ")"
          + (definition.usesOidc() ? "" : " for the runner's own IAM role")
          + ": ask the runner admin, or use a secret this project may read.");
    }
    return new Verdict(allowed, "");
  }

  /** The names to try, in order, or why there are none. */
  public record Verdict(List<String> candidates, String denial) {
    public boolean denied() {
      return candidates.isEmpty();
    }
  }
}
