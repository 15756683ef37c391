package io.awssecretsdriver.execution;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The environment of the runner's script: the runner's own environment without what the job must
 * not see (the job payload file, the manager's AWS credentials, the raw CUSTOM_ENV_ copies the
 * script exports itself anyway), plus the job's secrets.
 */
public final class ScriptEnvironment {
  static final Set<String> WITHHELD = Set.of(
      "JOB_RESPONSE_FILE",
      "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
      "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
      "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
      "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
      "AWS_SECRETS_DRIVER_CONFIG");

  private ScriptEnvironment() {}

  public static Map<String, String> of(Map<String, String> runnerEnv, Map<String, String> secrets) {
    Map<String, String> env = new LinkedHashMap<>();
    runnerEnv.forEach((k, v) -> {
      if (!WITHHELD.contains(k) && !k.startsWith("CUSTOM_ENV_")) {
        env.put(k, v);
      }
    });
    env.putAll(secrets);
    return env;
  }
}
