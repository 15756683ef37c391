package io.awssecretsdriver.policy;

public enum Effect {
  ALLOW,
  DENY
}
