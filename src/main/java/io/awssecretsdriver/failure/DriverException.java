package io.awssecretsdriver.failure;

import java.util.List;

/**
 * The one exception family the stages throw. Its lines are shown to the user as they are, so they
 * name the CI variable, the rule and the fix, and never hold a secret value.
 */
public final class DriverException extends RuntimeException {
  private final FailureKind kind;
  private final List<String> lines;

  public DriverException(FailureKind kind, List<String> lines) {
    super(String.join("; ", lines), null, false, false);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("a failure needs at least one line");
    }
    this.kind = kind;
    this.lines = List.copyOf(lines);
  }

  public static DriverException user(String message) {
    return new DriverException(FailureKind.BUILD, List.of(message));
  }

  public static DriverException system(String message) {
    return new DriverException(FailureKind.SYSTEM, List.of(message));
  }

  public FailureKind kind() {
    return kind;
  }

  public List<String> lines() {
    return lines;
  }
}
