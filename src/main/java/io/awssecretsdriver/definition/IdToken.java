package io.awssecretsdriver.definition;

/**
 * A job's OpenID Connect ID token: the JWT and the CI variable it came from. The JWT is a
 * credential, so {@code toString()} names only the variable.
 */
public record IdToken(String variable, String jwt) {
  @Override
  public String toString() {
    return "IdToken[" + variable + "]";
  }
}
