package io.awssecretsdriver.policy;

/** Which identity a rule applies to. */
public enum AuthRequirement {
  /** The job's ID token and a role it assumes. */
  OIDC,
  /** The runner manager's own identity. */
  MANAGER
}
