package io.awssecretsdriver.doctor;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the doctor asks of AWS, as the runner manager sees it. The AWS implementation lives in the
 * {@code aws} package; every call returns within a few seconds, reports AWS faults as text instead of
 * throwing, and never hands out a key or a secret value.
 */
public interface ManagerProbe extends AutoCloseable {

  /** The first provider of the default chain that yields credentials, trying them in the chain's order. */
  Credentials credentials();

  /** The region from the SDK's region chain (system property, environment, profile, IMDS). */
  Optional<RegionFound> region();

  /** An IMDSv2 session token request (PUT), with a short timeout. */
  Imds imds();

  /** STS GetCallerIdentity signed with the manager's credentials. */
  Identity callerIdentity(String region);

  /** GetSecretValue with the manager's credentials; only the value's size comes back. */
  SecretRead readSecret(String secretId, String region);

  @Override
  void close();

  /** {@code source} empty when no provider yielded credentials; {@code failures} then says why, per provider. */
  record Credentials(Optional<CredentialSource> source, String detail, List<String> failures) {
    public Credentials {
      failures = List.copyOf(failures);
    }
  }

  record RegionFound(String region, String source) {}

  /**
   * The outcome of the IMDSv2 token request: when reachable, the instance profile's role (empty when
   * none is attached); otherwise {@code problem} says what happened.
   */
  record Imds(ImdsState state, String endpoint, Optional<String> role, String problem, Duration elapsed) {}

  enum ImdsState {
    /** AWS_EC2_METADATA_DISABLED is set: the SDK never asks IMDS. */
    DISABLED,
    REACHABLE,
    /** No answer in time: on EKS, a response hop limit of 1 drops the PUT's answer before it reaches a pod. */
    TIMEOUT,
    /** Refused, or answered with an error status. */
    UNREACHABLE
  }

  /**
   * Who the manager is, or why STS said no. {@code awsTime} is the Date header of AWS's answer (a
   * success or an error), {@code localTime} the local clock when it arrived.
   */
  record Identity(Optional<String> account, Optional<String> arn, Optional<String> failure, Optional<Instant> awsTime,
      Instant localTime) {}

  /** A secret read: its ARN, version and size ({@code unit} "characters" or "bytes"), or why it failed. */
  record SecretRead(Optional<String> failure, String arn, String versionId, long size, String unit) {
    public static SecretRead failed(String reason) {
      return new SecretRead(Optional.of(reason), "", "", 0, "");
    }
  }
}
