package io.awssecretsdriver.audit;

/** One line of the audit log: who read which secret, how, and what came of it. Never a value or token. */
public record AuditRecord(
    String time,
    String runner,
    long job,
    String project,
    String ref,
    String variable,
    String secret,
    String versionId,
    String role,
    String region,
    String outcome,
    String reason) {}
