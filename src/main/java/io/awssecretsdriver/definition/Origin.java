package io.awssecretsdriver.definition;

/** Where a definition came from, for messages that tell the user what to edit. */
public enum Origin {
  /** The job's {@code secrets:} keyword, received in the job payload. */
  SECRETS_KEYWORD,
  /** The definitions variable (GitLab Free, or runners without a resolver). */
  DEFINITIONS_VARIABLE
}
