package io.awssecretsdriver.doctor;

import io.awssecretsdriver.doctor.ManagerProbe.Credentials;
import io.awssecretsdriver.doctor.ManagerProbe.Identity;
import io.awssecretsdriver.doctor.ManagerProbe.Imds;
import io.awssecretsdriver.doctor.ManagerProbe.RegionFound;
import io.awssecretsdriver.doctor.ManagerProbe.SecretRead;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Turns what the probe found into check results: the verdict, the words, and the fix. */
final class ManagerChecks {
  static final Duration MAX_SKEW = Duration.ofMinutes(5);

  static final String NO_CREDENTIALS_FIX = "give the runner manager an AWS identity: on EC2 attach an IAM role (instance "
      + "profile) to its instance; on EKS give the runner manager's service account a role (IRSA or EKS Pod Identity); "
      + "elsewhere set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, in the runner's environment. Attach the "
      + "IAM role to the runner manager, not the job pods: secrets are resolved on the manager";

  static final String HOP_LIMIT_FIX = "on EKS, pods reach IMDSv2 only with a response hop limit of 2: set the node "
      + "instances' HttpPutResponseHopLimit to 2 (aws ec2 modify-instance-metadata-options --instance-id ID "
      + "--http-put-response-hop-limit 2), or better give the runner manager's service account a role with IRSA or EKS Pod "
      + "Identity. Attach the IAM role to the runner manager, not the job pods: secrets are resolved on the manager";

  private ManagerChecks() {}

  static CheckResult credentials(Credentials c) {
    if (c.source().isPresent()) {
      return CheckResult.ok("credentials", c.source().get().label() + ": " + c.detail());
    }
    String tried = Arrays.stream(CredentialSource.values()).map(CredentialSource::label).collect(Collectors.joining(", "));
    String why = c.failures().isEmpty() ? "" : "; " + String.join("; ", c.failures());
    return CheckResult.fail("credentials", "the SDK's default chain found no credentials (tried " + tried + ")" + why,
        NO_CREDENTIALS_FIX);
  }

  static CheckResult identity(Credentials c, Optional<Identity> identity, String region) {
    if (c.source().isEmpty() || identity.isEmpty()) {
      return CheckResult.skip("identity", "no credentials to ask STS with");
    }
    Identity id = identity.get();
    if (id.failure().isPresent()) {
      return CheckResult.fail("identity", "STS GetCallerIdentity in " + region + " failed: " + id.failure().get(),
          "check the credentials found above (expired, revoked, or of another AWS partition) and the network path from the "
          + "runner manager to STS (proxy, VPC endpoint, AWS_ENDPOINT_URL_STS)");
    }
    return CheckResult.ok("identity", "account " + id.account().orElse("?") + ", " + id.arn().orElse("?"));
  }

  static CheckResult region(Optional<RegionFound> region) {
    return region
        .map(r -> CheckResult.ok("region", r.region() + " (" + r.source() + ")"))
        .orElseGet(() -> CheckResult.ok("region", "none for the manager: each job must set AWS_REGION or 'region', or use a "
            + "secret ARN (set resolution.default_region in the driver config to give a default)"));
  }

  static CheckResult imds(Imds imds, Credentials c) {
    switch (imds.state()) {
      case DISABLED:
        return CheckResult.skip("imds", "disabled by AWS_EC2_METADATA_DISABLED: the SDK does not ask IMDS");
      case REACHABLE:
        if (imds.role().isPresent()) {
          return CheckResult.ok("imds", "IMDSv2 token from " + imds.endpoint() + " in " + imds.elapsed().toMillis()
              + " ms; instance profile role " + imds.role().get());
        }
        if (c.source().isEmpty()) {
          return CheckResult.fail("imds", "IMDSv2 answers at " + imds.endpoint() + " but no IAM role is attached to the instance",
              "attach an IAM role (instance profile) to the runner manager's instance, not to the job pods or machines");
        }
        return CheckResult.ok("imds", "IMDSv2 token from " + imds.endpoint() + " in " + imds.elapsed().toMillis()
            + " ms; no instance profile role (not needed: credentials come from " + c.source().get().label() + ")");
      default:
        break;
    }
    if (c.source().isPresent() && c.source().get() != CredentialSource.INSTANCE_PROFILE) {
      return CheckResult.skip("imds", "not reachable at " + imds.endpoint() + " (" + imds.problem() + "); not needed: "
          + "credentials come from " + c.source().get().label());
    }
    if (imds.state() == ManagerProbe.ImdsState.TIMEOUT) {
      return CheckResult.fail("imds", "no IMDSv2 token from " + imds.endpoint() + " within " + seconds(imds.elapsed())
          + " (" + imds.problem() + ")", HOP_LIMIT_FIX);
    }
    return CheckResult.fail("imds", "IMDS at " + imds.endpoint() + " is not usable (" + imds.problem() + ")",
        "outside EC2, give the runner manager credentials another way (environment, profile, IRSA, EKS Pod Identity); on EC2, "
        + "check that the instance metadata service is enabled and that no proxy or firewall is in the way "
        + "(NO_PROXY=169.254.169.254)");
  }

  static CheckResult clock(Optional<Identity> identity) {
    if (identity.isEmpty()) {
      return CheckResult.skip("clock", "no answer from AWS to compare the local clock with");
    }
    Identity id = identity.get();
    if (id.awsTime().isEmpty()) {
      return CheckResult.skip("clock", "AWS's answer carried no Date header to compare the local clock with");
    }
    Duration skew = Duration.between(id.awsTime().get(), id.localTime());
    String direction = skew.isNegative() ? "behind" : "ahead of";
    Duration size = skew.abs();
    if (size.compareTo(MAX_SKEW) > 0) {
      return CheckResult.fail("clock", "the local clock is " + span(size) + " " + direction + " AWS's (Date header of the STS answer)",
          "synchronise the runner manager's clock with NTP (chrony or systemd-timesyncd; on EC2 the Amazon Time Sync Service "
          + "at 169.254.169.123): AWS rejects signed requests whose time is off by several minutes");
    }
    if (size.toSeconds() <= 1) {
      return CheckResult.ok("clock", "in step with AWS (within 1 s of the Date header of the STS answer)");
    }
    return CheckResult.ok("clock", "the local clock is " + span(size) + " " + direction + " AWS's (Date header of the STS answer)");
  }

  static CheckResult healthCheckSecret(Optional<String> secret, Optional<String> region, Credentials c, Optional<SecretRead> read) {
    String name = "health-check-secret";
    if (secret.isEmpty()) {
      return CheckResult.skip(name, "no health_check_secret in the driver config");
    }
    String id = "'" + secret.get() + "'";
    if (c.source().isEmpty()) {
      return CheckResult.skip(name, "no credentials to read " + id + " with");
    }
    if (region.isEmpty() || read.isEmpty()) {
      return CheckResult.fail(name, "no region to read " + id + " in",
          "set resolution.default_region in the driver config or AWS_REGION in the runner's environment, or give "
          + "health_check_secret as an ARN");
    }
    SecretRead r = read.get();
    if (r.failure().isPresent()) {
      return CheckResult.fail(name, id + " cannot be read with the runner manager's identity: " + r.failure().get(),
          "grant the runner manager's identity secretsmanager:GetSecretValue on it (and kms:Decrypt on its KMS key), or "
          + "correct health_check_secret in the driver config");
    }
    return CheckResult.ok(name, id + " is readable in " + region.get() + " (" + r.arn() + ", version " + r.versionId()
        + ", a value of " + r.size() + " " + r.unit() + ")");
  }

  /** Whole seconds, as timeouts are set: a 2 s timeout that fired after 2.03 s reads "2 s". */
  static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms < 1000 ? ms + " ms" : Math.round(ms / 1000.0) + " s";
  }

  static String span(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return s / 60 + " min " + s % 60 + " s";
    }
    return s / 3600 + " h " + s % 3600 / 60 + " min";
  }
}
