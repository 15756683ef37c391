package io.awssecretsdriver.resolution;

import io.awssecretsdriver.definition.SecretDefinition;
import java.util.List;
import java.util.Optional;

/** Turns an allowed definition into the request that fetches it: region and identity settled. */
public final class Planner {
  private final Optional<String> defaultRegion;

  public Planner(Optional<String> defaultRegion) {
    this.defaultRegion = defaultRegion;
  }

  /** The request, or empty when no region is known for the secret. */
  public Optional<FetchRequest> plan(SecretDefinition d, List<String> candidates) {
    return d.effectiveRegion(defaultRegion).map(region -> new FetchRequest(
        candidates, d.versionId(), d.versionStage(), region,
        d.roleArn().map(role -> new WebIdentity(role, d.idToken().orElseThrow(), d.roleSessionName()))));
  }

  public static String noRegion() {
    return "no AWS region is known: set AWS_REGION in the job's variables, 'region' on the secret, or use the secret's ARN.";
  }
}
