package io.awssecretsdriver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.awssecretsdriver.testing.DriverProcess;
import io.awssecretsdriver.testing.DriverTestBase;
import io.awssecretsdriver.testing.FakeAws;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code doctor} as an admin runs it on the runner manager, against the fake AWS. */
class DoctorIT extends DriverTestBase {
  static final String MANAGER_ARN = "arn:aws:iam::123456789012:user/runner-manager";
  static final String HEALTH = "gitlab/health-check";
  static final String HEALTH_VALUE = "healthy-Value-0042";

  private Map<String, String> env(Map<String, String> manager) {
    Map<String, String> env = new LinkedHashMap<>(manager);
    env.put("AWS_SECRETS_DRIVER_CONFIG", driverConfig.toString());
    return env;
  }

  private DriverProcess doctor(Map<String, String> manager, String... args) {
    List<String> all = new ArrayList<>(List.of("doctor"));
    all.addAll(List.of(args));
    return DriverProcess.run(work, env(manager), all.toArray(String[]::new));
  }

  private static void assertNoCredentialOrValue(DriverProcess r) {
    for (String s : List.of("AKIDMANAGER", "manager-secret-key", "ASIAIMDS", "imds-secret", "imds-token", HEALTH_VALUE)) {
      assertFalse(r.out().contains(s) || r.err().contains(s), () -> "printed " + s + "\n" + r);
    }
  }

  @Test
  void healthyManagerWithStaticKeysPassesEveryCheck() {
    aws.callerIdentity(FakeAws.ACCOUNT, MANAGER_ARN).secret(HEALTH, HEALTH_VALUE);
    writeConfig("resolution:\n  default_region: us-east-1\nhealth_check_secret: " + HEALTH + "\n");
    DriverProcess r = doctor(aws.managerEnv());
    assertEquals(List.of(
        "OK   config: " + driverConfig + " is valid (policy default allow with 0 rules, 0 lookup templates)",
        "OK   credentials: environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; a long-term access key",
        "OK   identity: account 123456789012, " + MANAGER_ARN,
        "OK   region: us-east-1 (driver config resolution.default_region)",
        "SKIP imds: disabled by AWS_EC2_METADATA_DISABLED: the SDK does not ask IMDS",
        "OK   clock: in step with AWS (within 1 s of the Date header of the STS answer)",
        "OK   health-check-secret: '" + HEALTH + "' is readable in us-east-1 (" + FakeAws.arn(HEALTH) + ", version v-current-"
            + HEALTH.hashCode() + ", a value of 18 characters)"), r.lines(), r::toString);
    assertEquals(0, r.exit(), r::toString);
    assertEquals("", r.err(), r::toString);
    assertNoCredentialOrValue(r);
  }

  @Test
  void jsonIsOneObjectForMonitoring() throws Exception {
    aws.callerIdentity(FakeAws.ACCOUNT, MANAGER_ARN);
    writeConfig("resolution:\n  default_region: us-east-1\n");
    DriverProcess r = doctor(aws.managerEnv(), "--json");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(1, r.lines().size(), r::toString);
    JsonNode report = new ObjectMapper().readTree(r.out());
    assertTrue(report.path("ok").asBoolean(), r::toString);
    List<String> names = new ArrayList<>();
    report.path("checks").forEach(c -> names.add(c.path("name").asText() + "=" + c.path("status").asText()));
    assertEquals(List.of("config=OK", "credentials=OK", "identity=OK", "region=OK", "imds=SKIP", "clock=OK",
        "health-check-secret=SKIP"), names);
    JsonNode first = report.path("checks").get(0);
    assertTrue(first.has("detail") && first.has("fix") && first.path("fix").isNull(), r::toString);
  }

  @Test
  void imdsOnlyManagerGetsItsRoleFromInstanceMetadata() {
    aws.imds("runner-manager-role")
        .callerIdentity(FakeAws.ACCOUNT, "arn:aws:sts::123456789012:assumed-role/runner-manager-role/i-0123456789abcdef0");
    Map<String, String> manager = new LinkedHashMap<>(aws.imdsEnv());
    manager.put("AWS_REGION", "eu-west-1");
    DriverProcess r = doctor(manager);
    assertEquals(0, r.exit(), r::toString);
    List<String> lines = r.lines();
    assertEquals("OK   credentials: EC2 instance profile via IMDS: instance profile through IMDS at " + aws.endpoint()
        + "; temporary credentials expiring 2099-01-01T00:00:00Z", lines.get(1), r::toString);
    assertEquals("OK   identity: account 123456789012, arn:aws:sts::123456789012:assumed-role/runner-manager-role/i-0123456789abcdef0",
        lines.get(2), r::toString);
    assertEquals("OK   region: eu-west-1 (environment variable AWS_REGION)", lines.get(3), r::toString);
    assertTrue(lines.get(4).matches("OK   imds: IMDSv2 token from \\Q" + aws.endpoint() + "\\E in \\d+ ms; instance profile role "
        + "runner-manager-role"), r::toString);
    assertEquals("SKIP health-check-secret: no health_check_secret in the driver config", lines.get(6), r::toString);
    assertNoCredentialOrValue(r);
  }

  @Test
  void podIdentityAndIrsaAreNamedAsTheChainFindsThem() throws Exception {
    aws.callerIdentity(FakeAws.ACCOUNT, MANAGER_ARN);
    Map<String, String> pod = new LinkedHashMap<>(aws.containerCredentialsEnv("pod-identity-token"));
    pod.put("AWS_REGION", "us-east-1");
    DriverProcess r = doctor(pod);
    assertEquals("OK   credentials: container credentials (EKS Pod Identity / ECS): AWS_CONTAINER_CREDENTIALS_FULL_URI "
        + aws.endpoint() + "/v1/credentials; temporary credentials expiring 2099-01-01T00:00:00Z", r.lines().get(1), r::toString);
    assertEquals(0, r.exit(), r::toString);
    assertFalse(r.out().contains("pod-identity-token") || r.out().contains("ASIAPOD"), r::toString);

    java.nio.file.Path token = java.nio.file.Files.writeString(work.resolve("irsa-token"), "irsa.jwt.token");
    aws.role("arn:aws:iam::123456789012:role/runner-manager", "irsa.jwt.token");
    DriverProcess irsa = doctor(aws.webIdentityEnv(token, "arn:aws:iam::123456789012:role/runner-manager"));
    assertEquals("OK   credentials: web identity token file (IRSA): role arn:aws:iam::123456789012:role/runner-manager with the "
        + "token file " + token + "; temporary credentials expiring 2099-01-01T00:00:00Z", irsa.lines().get(1), irsa::toString);
    assertEquals(0, irsa.exit(), irsa::toString);
    assertFalse(irsa.out().contains("irsa.jwt.token"), irsa::toString);
  }

  @Test
  void hangingImdsFailsWithTheHopLimitAndManagerRoleHintsWithinSeconds() {
    aws.imdsHangs(Duration.ofSeconds(30));
    Map<String, String> manager = new LinkedHashMap<>(aws.imdsEnv());
    manager.put("AWS_REGION", "us-east-1");
    long started = System.nanoTime();
    DriverProcess r = doctor(manager);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertEquals(1, r.exit(), r::toString);
    List<String> lines = r.lines();
    assertTrue(lines.get(1).startsWith("FAIL credentials: the SDK's default chain found no credentials (tried Java system "
        + "properties, environment, web identity token file (IRSA), profile, container credentials (EKS Pod Identity / ECS), EC2 "
        + "instance profile via IMDS); EC2 instance profile via IMDS: "), r::toString);
    assertTrue(lines.get(1).endsWith("Fix: give the runner manager an AWS identity: on EC2 attach an IAM role (instance profile) to "
        + "its instance; on EKS give the runner manager's service account a role (IRSA or EKS Pod Identity); elsewhere set "
        + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, in the runner's environment. Attach the IAM role to the "
        + "runner manager, not the job pods: secrets are resolved on the manager"), r::toString);
    assertEquals("SKIP identity: no credentials to ask STS with", lines.get(2), r::toString);
    assertEquals("FAIL imds: no IMDSv2 token from " + aws.endpoint() + " within 2 s (PUT /latest/api/token got no answer). Fix: "
        + "on EKS, pods reach IMDSv2 only with a response hop limit of 2: set the node instances' HttpPutResponseHopLimit to 2 "
        + "(aws ec2 modify-instance-metadata-options --instance-id ID --http-put-response-hop-limit 2), or better give the runner "
        + "manager's service account a role with IRSA or EKS Pod Identity. Attach the IAM role to the runner manager, not the job "
        + "pods: secrets are resolved on the manager", lines.get(4), r::toString);
    assertEquals("SKIP clock: no answer from AWS to compare the local clock with", lines.get(5), r::toString);
    assertTrue(took.compareTo(Duration.ofSeconds(25)) < 0, "doctor took " + took);
  }

  @Test
  void deniedHealthCheckSecretFailsWithThePermissionToGrant() {
    aws.callerIdentity(FakeAws.ACCOUNT, MANAGER_ARN).secretError(HEALTH, 400, "AccessDeniedException",
        "User: " + MANAGER_ARN + " is not authorized to perform: secretsmanager:GetSecretValue on resource: " + HEALTH);
    writeConfig("resolution:\n  default_region: us-east-1\nhealth_check_secret: " + HEALTH + "\n");
    DriverProcess r = doctor(aws.managerEnv());
    assertEquals(1, r.exit(), r::toString);
    assertEquals("FAIL health-check-secret: '" + HEALTH + "' cannot be read with the runner manager's identity: access denied: "
        + "the runner manager's own AWS identity may not call secretsmanager:GetSecretValue on '" + HEALTH + "': allow it in that "
        + "identity's IAM policy (and, for another account, in the secret's resource policy and its KMS key policy). AWS says: User: "
        + MANAGER_ARN + " is not authorized to perform: secretsmanager:GetSecretValue on resource: " + HEALTH + ". Fix: grant the "
        + "runner manager's identity secretsmanager:GetSecretValue on it (and kms:Decrypt on its KMS key), or correct "
        + "health_check_secret in the driver config", r.lines().get(6), r::toString);
    assertTrue(r.lines().subList(0, 6).stream().noneMatch(l -> l.startsWith("FAIL")), r::toString);
  }

  @Test
  void clockFiveMinutesOffFailsWithTheNtpFix() {
    aws.callerIdentity(FakeAws.ACCOUNT, MANAGER_ARN, Duration.ofMinutes(10));
    writeConfig("resolution:\n  default_region: us-east-1\n");
    DriverProcess r = doctor(aws.managerEnv());
    assertEquals(1, r.exit(), r::toString);
    assertTrue(r.lines().get(5).matches("FAIL clock: the local clock is (9 min 5\\d|10 min 0) s behind AWS's \\(Date header of "
        + "the STS answer\\)\\. Fix: synchronise the runner manager's clock with NTP .*"), r::toString);
  }

  @Test
  void brokenDriverConfigIsReportedAndTheOtherChecksStillRun() {
    aws.callerIdentity(FakeAws.ACCOUNT, MANAGER_ARN);
    writeConfig("resolution:\n  concurrency: 0\n");
    Map<String, String> manager = new LinkedHashMap<>(aws.managerEnv());
    manager.put("AWS_REGION", "us-east-1");
    DriverProcess r = doctor(manager);
    assertEquals(1, r.exit(), r::toString);
    assertEquals("FAIL config: Driver config " + driverConfig + ": 'resolution.concurrency' must be a whole number from 1 to 64, "
        + "found '0'. Fix: correct the driver config (README.md, 'Driver configuration'); the checks below use the built-in "
        + "defaults", r.lines().get(0), r::toString);
    assertEquals("OK   identity: account 123456789012, " + MANAGER_ARN, r.lines().get(2), r::toString);
  }

  @Test
  void anUnknownArgumentIsAUsageError() {
    DriverProcess r = doctor(aws.managerEnv(), "--verbose");
    assertEquals(2, r.exit(), r::toString);
    assertEquals("ERROR: doctor takes no argument but --json, found '--verbose'.\n", r.err(), r::toString);
  }
}
