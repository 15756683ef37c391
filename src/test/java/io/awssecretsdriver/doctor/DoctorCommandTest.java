package io.awssecretsdriver.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.awssecretsdriver.doctor.ManagerProbe.Credentials;
import io.awssecretsdriver.doctor.ManagerProbe.Identity;
import io.awssecretsdriver.doctor.ManagerProbe.Imds;
import io.awssecretsdriver.doctor.ManagerProbe.ImdsState;
import io.awssecretsdriver.doctor.ManagerProbe.RegionFound;
import io.awssecretsdriver.doctor.ManagerProbe.SecretRead;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorCommandTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final String ENDPOINT = "http://169.254.169.254";

  @TempDir Path dir;
  Path config;
  FakeProbe probe;

  @BeforeEach
  void setUp() throws IOException {
    config = Files.writeString(dir.resolve("driver.yml"), "resolution:\n  default_region: us-east-1\n");
    probe = new FakeProbe();
  }

  /** A manager as the probe is told to see it; by default healthy, with static keys and no IMDS. */
  static final class FakeProbe implements ManagerProbe {
    Credentials credentials = new Credentials(Optional.of(CredentialSource.ENVIRONMENT), "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", List.of());
    Optional<RegionFound> region = Optional.empty();
    Imds imds = new Imds(ImdsState.DISABLED, ENDPOINT, Optional.empty(), "", Duration.ZERO);
    Identity identity = new Identity(Optional.of("123456789012"), Optional.of("arn:aws:iam::123456789012:user/m"), Optional.empty(),
        Optional.of(NOW), NOW);
    SecretRead read = new SecretRead(Optional.empty(), "arn:s", "v1", 12, "characters");
    boolean closed;

    @Override
    public Credentials credentials() {
      return credentials;
    }

    @Override
    public Optional<RegionFound> region() {
      return region;
    }

    @Override
    public Imds imds() {
      return imds;
    }

    @Override
    public Identity callerIdentity(String region) {
      return identity;
    }

    @Override
    public SecretRead readSecret(String secretId, String region) {
      return read;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private record Run(int exit, List<String> lines) {}

  private Run doctor(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int exit = new DoctorCommand(Map.of(), Optional.of(config.toString()), out, () -> probe).run(List.of(args));
    String text = bytes.toString(StandardCharsets.UTF_8);
    return new Run(exit, List.of(text.split("\n")));
  }

  private String line(Run run, String check) {
    return run.lines().stream().filter(l -> l.substring(5).startsWith(check + ":")).findFirst().orElseThrow();
  }

  @Test
  void healthyManagerExitsZeroAndClosesTheProbe() {
    Run run = doctor();
    assertEquals(0, run.exit(), run.lines()::toString);
    assertEquals(7, run.lines().size());
    assertEquals(true, probe.closed);
  }

  @Test
  void unreachableImdsIsNotAFailureWhenCredentialsComeFromElsewhere() {
    probe.imds = new Imds(ImdsState.TIMEOUT, ENDPOINT, Optional.empty(), "the connection timed out", Duration.ofSeconds(2));
    Run run = doctor();
    assertEquals("SKIP imds: not reachable at " + ENDPOINT + " (the connection timed out); not needed: credentials come from "
        + "environment", line(run, "imds"));
    assertEquals(0, run.exit());
  }

  @Test
  void imdsWithoutAnInstanceRoleFailsWhenNothingElseGaveCredentials() {
    probe.credentials = new Credentials(Optional.empty(), "", List.of("EC2 instance profile via IMDS: no role"));
    probe.imds = new Imds(ImdsState.REACHABLE, ENDPOINT, Optional.empty(), "", Duration.ofMillis(3));
    Run run = doctor();
    assertEquals("FAIL imds: IMDSv2 answers at " + ENDPOINT + " but no IAM role is attached to the instance. Fix: attach an IAM "
        + "role (instance profile) to the runner manager's instance, not to the job pods or machines", line(run, "imds"));
    assertEquals("SKIP identity: no credentials to ask STS with", line(run, "identity"));
    assertEquals(1, run.exit());
  }

  @Test
  void refusedImdsWithoutOtherCredentialsNamesTheOtherWays() {
    probe.credentials = new Credentials(Optional.empty(), "", List.of());
    probe.imds = new Imds(ImdsState.UNREACHABLE, ENDPOINT, Optional.empty(), "connection refused", Duration.ofMillis(1));
    assertEquals("FAIL imds: IMDS at " + ENDPOINT + " is not usable (connection refused). Fix: outside EC2, give the runner manager "
        + "credentials another way (environment, profile, IRSA, EKS Pod Identity); on EC2, check that the instance metadata "
        + "service is enabled and that no proxy or firewall is in the way (NO_PROXY=169.254.169.254)", line(doctor(), "imds"));
  }

  @Test
  void smallClockSkewIsShownButPasses() {
    probe.identity = new Identity(Optional.of("1"), Optional.of("a"), Optional.empty(), Optional.of(NOW), NOW.minusSeconds(75));
    assertEquals("OK   clock: the local clock is 1 min 15 s behind AWS's (Date header of the STS answer)", line(doctor(), "clock"));
    probe.identity = new Identity(Optional.of("1"), Optional.of("a"), Optional.empty(), Optional.of(NOW), NOW.plusSeconds(301));
    Run run = doctor();
    assertEquals("FAIL clock: the local clock is 5 min 1 s ahead of AWS's (Date header of the STS answer). Fix: synchronise the "
        + "runner manager's clock with NTP (chrony or systemd-timesyncd; on EC2 the Amazon Time Sync Service at 169.254.169.123): "
        + "AWS rejects signed requests whose time is off by several minutes", line(run, "clock"));
    assertEquals(1, run.exit());
  }

  @Test
  void anStsRefusalFailsTheIdentityAndStillComparesClocks() {
    probe.identity = new Identity(Optional.empty(), Optional.empty(), Optional.of("HTTP 403 (InvalidClientTokenId): The security "
        + "token included in the request is invalid"), Optional.of(NOW), NOW);
    Run run = doctor();
    assertEquals("FAIL identity: STS GetCallerIdentity in us-east-1 failed: HTTP 403 (InvalidClientTokenId): The security token "
        + "included in the request is invalid. Fix: check the credentials found above (expired, revoked, or of another AWS "
        + "partition) and the network path from the runner manager to STS (proxy, VPC endpoint, AWS_ENDPOINT_URL_STS)",
        line(run, "identity"));
    assertEquals("OK   clock: in step with AWS (within 1 s of the Date header of the STS answer)", line(run, "clock"));
  }

  @Test
  void regionFromTheSdkChainWhenTheConfigHasNone() throws IOException {
    Files.writeString(config, "");
    probe.region = Optional.of(new RegionFound("eu-west-1", "environment variable AWS_REGION"));
    assertEquals("OK   region: eu-west-1 (environment variable AWS_REGION)", line(doctor(), "region"));
    probe.region = Optional.empty();
    assertEquals("OK   region: none for the manager: each job must set AWS_REGION or 'region', or use a secret ARN (set "
        + "resolution.default_region in the driver config to give a default)", line(doctor(), "region"));
  }

  @Test
  void healthCheckSecretNeedsARegionUnlessItIsAnArn() throws IOException {
    Files.writeString(config, "health_check_secret: gitlab/health\n");
    assertEquals("FAIL health-check-secret: no region to read 'gitlab/health' in. Fix: set resolution.default_region in the driver "
        + "config or AWS_REGION in the runner's environment, or give health_check_secret as an ARN", line(doctor(), "health-check-secret"));
    Files.writeString(config, "health_check_secret: arn:aws:secretsmanager:eu-west-1:123456789012:secret:gitlab/health-AbCdEf\n");
    assertEquals("OK   health-check-secret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:gitlab/health-AbCdEf' is readable "
        + "in eu-west-1 (arn:s, version v1, a value of 12 characters)", line(doctor(), "health-check-secret"));
  }

  @Test
  void jsonSaysNotOkWithTheFix() throws Exception {
    probe.credentials = new Credentials(Optional.empty(), "", List.of());
    Run run = doctor("--json");
    var report = new ObjectMapper().readTree(run.lines().get(0));
    assertEquals(false, report.path("ok").asBoolean());
    var credentials = report.path("checks").get(1);
    assertEquals("credentials", credentials.path("name").asText());
    assertEquals("FAIL", credentials.path("status").asText());
    assertEquals(ManagerChecks.NO_CREDENTIALS_FIX, credentials.path("fix").asText());
    assertEquals(1, run.exit());
  }
}
