package io.awssecretsdriver.policy;

/** Whether a secret may be read, and the rule that said so. */
public record PolicyDecision(boolean allowed, String rule) {}
