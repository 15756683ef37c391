package io.awssecretsdriver.resolution;

import io.awssecretsdriver.definition.SecretDefinition;
import io.awssecretsdriver.failure.FailureKind;

/** What became of one variable's secret. */
public sealed interface SecretOutcome permits SecretOutcome.Resolved, SecretOutcome.Failed {
  SecretDefinition definition();

  record Resolved(SecretDefinition definition, FetchRequest request, FetchedSecret fetched, SecretValue value)
      implements SecretOutcome {}

  record Failed(SecretDefinition definition, FailureKind kind, String reason) implements SecretOutcome {
    /** The line shown in the job log: the variable, the secret and why. */
    public String line() {
      return "Secret \"" + definition.variable() + "\" (" + definition.describe() + "): " + reason;
    }
  }
}
