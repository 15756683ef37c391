package io.awssecretsdriver.e2e;

import static io.awssecretsdriver.testing.Checks.valueIs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awssecretsdriver.testing.DriverTestBase;
import io.awssecretsdriver.testing.Job;
import io.awssecretsdriver.testing.JobRun;
import io.awssecretsdriver.testing.RunnerSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manager's own identity from every source of the SDK's default chain, through the standard endpoint settings. */
class ManagerIdentityIT extends DriverTestBase {
  static final String VALUE = "Db-Passw0rd-from-manager";

  private JobRun runWith(Map<String, String> env) {
    aws.secret("app-secrets/database", "{\"password\":\"" + VALUE + "\"}");
    return new RunnerSimulator(work.resolve("runner-" + env.hashCode()), env).config(driverConfig)
        .run(Job.fixture("iam-role").script(valueIs("DATABASE_PASSWORD", VALUE)));
  }

  private void assertResolved(JobRun run) {
    assertEquals(JobRun.Outcome.SUCCESS, run.outcome(), run::toString);
    assertTrue(run.log().contains("DATABASE_PASSWORD=value-ok"), run::toString);
    assertNothingLeft();
  }

  @Test
  void environmentKeysAndTheUserAgentThatNamesTheDriver() {
    assertResolved(runWith(aws.managerEnv()));
    List<String> agents = aws.requestHeaders("User-Agent");
    assertTrue(agents.stream().anyMatch(a -> a.contains("gitlab-aws-secrets-driver/")), agents::toString);
  }

  @Test
  void ec2InstanceProfileThroughImds() {
    aws.imds("gitlab-runner-manager");
    assertResolved(runWith(aws.imdsEnv()));
  }

  @Test
  void containerCredentialsAsEksPodIdentityGivesThem() {
    assertResolved(runWith(aws.containerCredentialsEnv("pod-identity-token")));
  }

  @Test
  void irsaWebIdentityTokenFile() throws Exception {
    Path token = Files.writeString(work.resolve("irsa-token"), "irsa.jwt.token");
    aws.role("arn:aws:iam::123456789012:role/runner-manager", "irsa.jwt.token");
    assertResolved(runWith(aws.webIdentityEnv(token, "arn:aws:iam::123456789012:role/runner-manager")));
    assertEquals(1, aws.stsCalls());
  }

  @Test
  void imdsThatDoesNotAnswerEndsAsASystemFailureWithTheEksHint() {
    writeConfig("resolution:\n  max_attempts: 1\n  api_call_timeout: 5s\n");
    aws.imdsHangs(Duration.ofSeconds(20));
    JobRun run = runWith(aws.imdsEnv());
    assertEquals(JobRun.Outcome.SYSTEM_FAILURE, run.outcome(), run::toString);
    assertTrue(run.log().contains("raise the instance metadata hop limit to 2"), run::toString);
    assertNothingLeft();
  }
}
