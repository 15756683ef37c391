package io.awssecretsdriver.resolution;

import io.awssecretsdriver.definition.IdToken;
import java.util.Objects;

/** The role a job assumes with its ID token. Equal values share one STS call. */
public record WebIdentity(String roleArn, IdToken token, String sessionName) {
  // equals and hashCode are written out, as in FetchRequest: the generated ones cost a fresh JVM
  // milliseconds of method-handle spinning on prepare's critical path.
  @Override
  public boolean equals(Object o) {
    return o instanceof WebIdentity w && roleArn.equals(w.roleArn) && token.equals(w.token) && sessionName.equals(w.sessionName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(roleArn, token, sessionName);
  }
}
