package io.awssecretsdriver.failure;

import java.util.Map;

/** The exit codes GitLab Runner asks for through BUILD_FAILURE_EXIT_CODE and SYSTEM_FAILURE_EXIT_CODE. */
public record ExitCodes(int buildFailure, int systemFailure) {
  public static final int DEFAULT_BUILD_FAILURE = 1;
  public static final int DEFAULT_SYSTEM_FAILURE = 2;

  public static ExitCodes from(Map<String, String> env) {
    return new ExitCodes(
        parse(env.get("BUILD_FAILURE_EXIT_CODE"), DEFAULT_BUILD_FAILURE),
        parse(env.get("SYSTEM_FAILURE_EXIT_CODE"), DEFAULT_SYSTEM_FAILURE));
  }

  public int of(FailureKind kind) {
    return kind == FailureKind.BUILD ? buildFailure : systemFailure;
  }

  private static int parse(String value, int fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int code = Integer.parseInt(value.trim());
      return code > 0 && code < 256 ? code : fallback;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
