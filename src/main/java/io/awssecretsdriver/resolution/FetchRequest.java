package io.awssecretsdriver.resolution;

import java.util.List;
import java.util.Objects;
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

  // equals and hashCode are written out: a record's generated ones bootstrap through invokedynamic,
  // which costs a fresh JVM about 20 ms of method-handle spinning on prepare's critical path.
  @Override
  public boolean equals(Object o) {
    return o instanceof FetchRequest r && candidates.equals(r.candidates) && versionId.equals(r.versionId)
        && versionStage.equals(r.versionStage) && region.equals(r.region) && identity.equals(r.identity);
  }

  @Override
  public int hashCode() {
    return Objects.hash(candidates, versionId, versionStage, region, identity);
  }

  /** Who is asking, for messages: the role ARN, or the manager's own identity. */
  public String identityLabel() {
    return identity.map(i -> "role " + i.roleArn()).orElse("the runner manager's own AWS identity");
  }

  public String versionLabel() {
    return versionId.map(v -> "version " + v).or(() -> versionStage.map(s -> "stage " + s)).orElse("AWSCURRENT");
  }
}
