package io.awssecretsdriver.resolution;

/** A secret as Secrets Manager returned it. */
public record FetchedSecret(String arn, String versionId, SecretValue value) {}
