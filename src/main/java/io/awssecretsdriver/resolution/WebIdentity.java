package io.awssecretsdriver.resolution;

import io.awssecretsdriver.definition.IdToken;

/** The role a job assumes with its ID token. Equal values share one STS call. */
public record WebIdentity(String roleArn, IdToken token, String sessionName) {}
