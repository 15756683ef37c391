package io.awssecretsdriver.policy;

import io.awssecretsdriver.job.TrustedJobInfo;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One rule: an effect, a secret pattern, and conditions on the job that must all hold. A condition
 * that cannot be judged for lack of a trusted value falls to the safe side: an allow rule does not
 * match, a deny rule does.
 */
public record PolicyRule(
    Effect effect,
    String secrets,
    Optional<AuthRequirement> auth,
    Optional<Boolean> protectedRef,
    Optional<String> refType,
    Optional<String> ref,
    Optional<String> projects,
    Optional<String> environment,
    Optional<String> pipelineSource,
    String label) {

  boolean matches(String secretId, boolean oidc, TrustedJobInfo job) {
    Optional<Boolean> conditions = conditionsHold(oidc, job);
    boolean hold = conditions.orElse(effect == Effect.DENY);
    return hold && secretMatches(secretId, job);
  }

  private boolean secretMatches(String secretId, TrustedJobInfo job) {
    Optional<Pattern> p = Glob.compile(secrets, job, effect);
    if (p.isEmpty()) {
      return false;
    }
    if (p.get().matcher(secretId).matches()) {
      return true;
    }
    // An ARN also answers to its secret name, so "prod/**" covers arn:...:secret:prod/db-AbCdEf.
    int at = secretId.indexOf(":secret:");
    return secretId.startsWith("arn:") && at > 0 && p.get().matcher(secretId.substring(at + 8)).matches();
  }

  /** Empty when a condition needs a value the job does not have. */
  private Optional<Boolean> conditionsHold(boolean oidc, TrustedJobInfo job) {
    if (auth.isPresent() && (auth.get() == AuthRequirement.OIDC) != oidc) {
      return Optional.of(false);
    }
    if (protectedRef.isPresent() && protectedRef.get() != job.protectedRef()) {
      return Optional.of(false);
    }
    List<Optional<Boolean>> globs = List.of(
        globHolds(refType, job.refType()),
        globHolds(ref, job.ref()),
        globHolds(projects, job.projectPath()),
        globHolds(environment, job.environment().orElse("")),
        globHolds(pipelineSource, job.pipelineSource().orElse("")));
    if (globs.contains(Optional.of(false))) {
      return Optional.of(false);
    }
    return globs.contains(Optional.<Boolean>empty()) ? Optional.empty() : Optional.of(true);
  }

  private static Optional<Boolean> globHolds(Optional<String> glob, String actual) {
    if (glob.isEmpty()) {
      return Optional.of(true);
    }
    if (actual == null || actual.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Pattern.compile(Glob.toRegex(glob.get())).matcher(actual).matches());
  }
}
