package io.awssecretsdriver.definition;

/**
 * A job's OpenID Connect ID token: the JWT and the CI variable it came from. The JWT is a
 * credential, so {@code toString()} names only the variable.
 */
public record IdToken(String variable, String jwt) {
  // equals and hashCode are written out, as in FetchRequest: the generated ones cost a fresh JVM
  // milliseconds of method-handle spinning on prepare's critical path.
  @Override
  public boolean equals(Object o) {
    return o instanceof IdToken t && variable.equals(t.variable) && jwt.equals(t.jwt);
  }

  @Override
  public int hashCode() {
    return 31 * variable.hashCode() + jwt.hashCode();
  }

  @Override
  public String toString() {
    return "IdToken[" + variable + "]";
  }
}
