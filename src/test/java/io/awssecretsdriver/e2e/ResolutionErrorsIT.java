package io.awssecretsdriver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.awssecretsdriver.testing.DriverTestBase;
import io.awssecretsdriver.testing.Job;
import io.awssecretsdriver.testing.JobRun;
import io.awssecretsdriver.testing.JobRun.Outcome;
import io.awssecretsdriver.testing.RunnerSimulator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each failure names the CI variable and the secret, says what is wrong and what to do, with the right exit code. */
class ResolutionErrorsIT extends DriverTestBase {
  static final String ROLE = "arn:aws:iam::123456789012:role/gitlab-secrets-role";

  private JobRun expectFailure(Job job, Outcome outcome, String... fragments) {
    JobRun run = runner.run(job.script("echo the-script-must-not-run"));
    assertEquals(outcome, run.outcome(), run::toString);
    for (String f : fragments) {
      assertTrue(run.log().contains(f), () -> "missing '" + f + "' in\n" + run);
    }
    assertFalse(run.log().contains("the-script-must-not-run\n"), run::toString);
    assertFalse(run.log().contains("\tat ") || run.log().contains("Exception in thread"), () -> "stack trace in\n" + run);
    assertNothingLeft();
    return run;
  }

  private static ObjectNode definition(Job job, String variable) {
    return (ObjectNode) job.secrets().get(variable).get("aws_secrets_manager");
  }

  @Test
  void versionIdAndVersionStageTogetherIsABuildFailure() {
    Job job = Job.fixture("iam-role");
    definition(job, "DATABASE_PASSWORD").put("version_id", "01234567-89ab-cdef-0123-456789abcdef").put("version_stage", "AWSPREVIOUS");
    expectFailure(job, Outcome.BUILD_FAILURE, "Secret \"DATABASE_PASSWORD\"", "sets both 'version_id' and 'version_stage'");
    assertEquals(0, aws.getSecretValueCalls());
  }

  @Test
  void missingFieldNamesTheKeyAndTheSecret() {
    aws.secret("app-secrets/database", "{\"username\":\"app\"}");
    expectFailure(Job.fixture("iam-role"), Outcome.BUILD_FAILURE,
        "Secret \"DATABASE_PASSWORD\" (app-secrets/database#password): key 'password' not found in secret 'app-secrets/database'");
  }

  @Test
  void fieldOfANonFlatValueIsRefused() {
    aws.secret("app-secrets/database", "{\"password\":{\"nested\":true}}");
    expectFailure(Job.fixture("iam-role"), Outcome.BUILD_FAILURE, "is not a string, number or boolean");
  }

  @Test
  void secretThatIsNotJsonCannotGiveAField() {
    aws.secret("app-secrets/database", "plain-text-password-value");
    JobRun run = expectFailure(Job.fixture("iam-role"), Outcome.BUILD_FAILURE, "is not valid JSON");
    assertFalse(run.log().contains("plain-text-password-value"), "the parser must not quote the secret");
  }

  @Test
  void notFoundIsABuildFailureWithoutRetry() {
    expectFailure(Job.fixture("iam-role"), Outcome.BUILD_FAILURE, "secret 'app-secrets/database' (AWSCURRENT) was not found in us-east-1");
    assertEquals(1, aws.getSecretValueCalls());
  }

  @Test
  void accessDeniedNamesTheIdentityAndTheAction() {
    aws.secretError("app-secrets/database", 400, "AccessDeniedException",
        "User: arn:aws:sts::123456789012:assumed-role/runner/i-0abc is not authorized to perform: secretsmanager:GetSecretValue");
    expectFailure(Job.fixture("iam-role"), Outcome.BUILD_FAILURE,
        "access denied: the runner manager's own AWS identity may not call secretsmanager:GetSecretValue on 'app-secrets/database'",
        "AWS says: User: arn:aws:sts::123456789012:assumed-role/runner/i-0abc");
    assertEquals(1, aws.getSecretValueCalls());
  }

  @Test
  void rejectedIdTokenIsABuildFailureNamingTheTokenAndRole() {
    aws.secret("app-secrets/database", "{\"password\":\"x-Passw0rd-x\"}").role(ROLE, "some-other-token");
    expectFailure(Job.fixture("oidc"), Outcome.BUILD_FAILURE, "STS rejected the ID token AWS_ID_TOKEN for role " + ROLE);
  }

  @Test
  void idTokenWithoutRoleArnIsRefusedAsTheRunnerDoes() {
    Job job = Job.fixture("iam-role").variable("AWS_ID_TOKEN", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln");
    expectFailure(job, Outcome.BUILD_FAILURE, "Role ARN is required when using JWT for AWS authentication");
  }

  @Test
  void roleArnWithoutIdTokenTellsHowToDeclareOne() {
    Job job = Job.fixture("iam-role");
    ((ObjectNode) definition(job, "DATABASE_PASSWORD").get("server")).put("role_arn", ROLE);
    expectFailure(job, Outcome.BUILD_FAILURE, "the ID token AWS_ID_TOKEN is empty: add `id_tokens: AWS_ID_TOKEN: aud: sts.amazonaws.com`");
  }

  @Test
  void noCredentialsOnTheManagerIsASystemFailureWithTheImdsHint() {
    Map<String, String> env = aws.managerEnv();
    env.remove("AWS_ACCESS_KEY_ID");
    env.remove("AWS_SECRET_ACCESS_KEY");
    runner = new RunnerSimulator(work.resolve("runner-nocreds"), env).config(driverConfig);
    JobRun run = expectFailure(Job.fixture("iam-role"), Outcome.SYSTEM_FAILURE,
        "the runner manager has no usable AWS credentials", "raise the instance metadata hop limit to 2");
    assertEquals(3, run.attempts(), "the runner retries prepare on a system failure");
  }

  @Test
  void serviceFaultAfterRetriesIsASystemFailure() {
    writeConfig("resolution:\n  max_attempts: 2\n");
    aws.secretError("app-secrets/database", 500, "InternalServiceError", "injected");
    expectFailure(Job.fixture("iam-role"), Outcome.SYSTEM_FAILURE, "Secrets Manager failed with HTTP 500 (InternalServiceError)");
  }

  @Test
  void everyFailingSecretIsReportedNotOnlyTheFirst() {
    Job job = Job.fixture("short-form");
    aws.secret("app-secrets/api", "{\"other\":\"x\"}");
    job.secrets().putObject("MISSING").put("file", false).put("aws_secrets_manager", "app-secrets/missing");
    job.secrets().putObject("BROKEN").put("file", "yes").put("aws_secrets_manager", "app-secrets/api");
    JobRun run = expectFailure(job, Outcome.BUILD_FAILURE, "Secret \"BROKEN\": 'file' must be true or false");
    // Definition problems are reported before any call; fix them and the fetch failures show together.
    job.secrets().remove("BROKEN");
    run = expectFailure(job, Outcome.BUILD_FAILURE, "2 of 3 secrets could not be resolved", "Secret \"API_KEY\"", "Secret \"MISSING\"");
    assertTrue(run.log().indexOf("Secret \"API_KEY\"") < run.log().indexOf("Secret \"MISSING\""));
  }

  @Test
  void noRegionAnywhereIsABuildFailure() {
    Job job = Job.fixture("no-secrets");
    job.secrets().putObject("TOKEN").put("file", false).put("aws_secrets_manager", "app/token");
    expectFailure(job, Outcome.BUILD_FAILURE, "Secret \"TOKEN\" (app/token): no AWS region is known: set AWS_REGION");
  }
}
