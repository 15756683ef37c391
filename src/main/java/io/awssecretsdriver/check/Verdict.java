package io.awssecretsdriver.check;

/** What check says about one secret or job. */
public enum Verdict {
  OK,
  /** Prepare would fail the job on this. */
  FAIL,
  /** Cannot be decided from the file alone (project/ref, project variables): said, but not a failure. */
  NOTE,
  /** Not an aws_secrets_manager secret: another resolver's business. */
  SKIP
}
