package io.awssecretsdriver.resolution;

import java.util.List;
import java.util.Optional;

/**
 * One distinct secret version to fetch, with the identity and region to fetch it with. Several
 * variables reading fields of the same secret share one request. {@code candidates} holds the names
 * to try in order (lookup templates); the first that exists wins.
 */
public record FetchRequest(
    List<String> candidates,
    Optional<String> versionId,
    Optional<String> versionStage,
    String region,
    Optional<WebIdentity> identity) {

  public FetchRequest {
    candidates = List.copyOf(candidates);
  }

  /** Who is asking, for messages: the role ARN, or the manager's own identity. */
  public String identityLabel() {
    return identity.map(i -> "role " + i.roleArn()).orElse("the runner manager's own AWS identity");
  }

  public String versionLabel() {
    return versionId.map(v -> "version " + v).or(() -> versionStage.map(s -> "stage " + s)).orElse("AWSCURRENT");
  }
}
