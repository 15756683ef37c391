package io.awssecretsdriver.definition;

import java.util.Optional;

/**
 * One {@code aws_secrets_manager} secret of a job, expanded and validated: everything needed to
 * fetch it and hand it to the script. Optional parts are empty, never blank.
 */
public record SecretDefinition(
    String variable,
    String secretId,
    Optional<String> field,
    Optional<String> versionId,
    Optional<String> versionStage,
    Optional<String> region,
    Optional<String> jobRegion,
    Optional<String> roleArn,
    String roleSessionName,
    Optional<IdToken> idToken,
    boolean file,
    Origin origin) {

  /** True when the secret is read with the job's ID token rather than the manager's own identity. */
  public boolean usesOidc() {
    return roleArn.isPresent();
  }

  /**
   * The region to call: the secret's own {@code region}, else the region of an ARN id, else the
   * job's {@code AWS_REGION}, else the driver's default.
   */
  public Optional<String> effectiveRegion(Optional<String> driverDefault) {
    return region.or(() -> AwsNames.arnRegion(secretId)).or(() -> jobRegion).or(() -> driverDefault);
  }

  /** The name as the user wrote it with any field, for messages: {@code app/db#password}. */
  public String describe() {
    return secretId + field.map(f -> "#" + f).orElse("");
  }
}
