package io.awssecretsdriver.resolution;

import io.awssecretsdriver.definition.SecretDefinition;

/** A definition that passed the policy, with the request that fetches it. */
public record PlannedSecret(SecretDefinition definition, FetchRequest request) {}
