package io.awssecretsdriver.failure;

/** Who can fix a failure, which decides the exit code the runner sees. */
public enum FailureKind {
  /** A mistake in the job's definitions or the AWS set-up that the user can fix: no retry helps. */
  BUILD,
  /** A fault of the infrastructure (network, throttling, AWS 5xx, manager credentials): worth a retry. */
  SYSTEM;

  /** The more serious of two kinds: a system fault makes the whole attempt worth a retry. */
  public FailureKind worst(FailureKind other) {
    return this == SYSTEM || other == SYSTEM ? SYSTEM : BUILD;
  }
}
