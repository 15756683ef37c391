package io.awssecretsdriver.resolution;

import io.awssecretsdriver.failure.FailureKind;

/** Why a fetch failed, in words for the user; {@code notFound} lets lookup templates try the next name. */
public final class FetchFailure extends Exception {
  private final FailureKind kind;
  private final boolean notFound;

  public FetchFailure(FailureKind kind, String message, boolean notFound) {
    super(message, null, false, false);
    this.kind = kind;
    this.notFound = notFound;
  }

  public FailureKind kind() {
    return kind;
  }

  public boolean notFound() {
    return notFound;
  }
}
