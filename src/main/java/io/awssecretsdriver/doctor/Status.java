package io.awssecretsdriver.doctor;

/** The verdict of one doctor check. */
public enum Status {
  OK,
  FAIL,
  /** The check does not apply here (not configured, or an earlier check failed). */
  SKIP
}
