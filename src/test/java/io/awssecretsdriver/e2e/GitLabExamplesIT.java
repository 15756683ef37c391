package io.awssecretsdriver.e2e;

import static io.awssecretsdriver.testing.Checks.fileHolds;
import static io.awssecretsdriver.testing.Checks.valueIs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awssecretsdriver.testing.DriverTestBase;
import io.awssecretsdriver.testing.Job;
import io.awssecretsdriver.testing.JobRun;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every example of GitLab's "Use AWS Secrets Manager secrets in GitLab CI/CD" page, run as the runner runs it. */
class GitLabExamplesIT extends DriverTestBase {
  static final String DB = "{\"password\":\"Db-Passw0rd-2026!\",\"username\":\"app\",\"port\":5432}";
  static final String ROLE = "arn:aws:iam::123456789012:role/gitlab-secrets-role";

  private void assertSucceeded(JobRun run, String... markers) {
    assertEquals(JobRun.Outcome.SUCCESS, run.outcome(), run::toString);
    for (String m : markers) {
      assertTrue(run.log().contains(m), () -> "missing '" + m + "' in\n" + run);
    }
    assertNothingLeft();
  }

  @Test
  void iamRoleAuthenticationUsesTheManagersIdentity() {
    aws.secret("app-secrets/database", DB);
    JobRun run = runner.run(Job.fixture("iam-role")
        .script(valueIs("DATABASE_PASSWORD", "Db-Passw0rd-2026!"), "echo \"mysql -p$DATABASE_PASSWORD\""));
    assertSucceeded(run, "Resolving secrets", "Resolving secret \"DATABASE_PASSWORD\"...",
        "Using \"aws_secrets_manager\" secret resolver...", "DATABASE_PASSWORD=value-ok", "mysql -p[MASKED]");
    assertFalse(run.log().contains("Db-Passw0rd-2026!"), run::toString);
    assertEquals(0, aws.stsCalls());
    assertEquals(1, aws.getSecretValueCalls());
  }

  @Test
  void openIdConnectAssumesTheRoleWithTheDefaultIdToken() {
    Job job = Job.fixture("oidc");
    aws.secret("app-secrets/database", DB).role(ROLE, job.variableValue("AWS_ID_TOKEN"));
    JobRun run = runner.run(job.script(valueIs("DATABASE_PASSWORD", "Db-Passw0rd-2026!")));
    assertSucceeded(run, "DATABASE_PASSWORD=value-ok");
    assertEquals(1, aws.stsCalls());
  }

  @Test
  void openIdConnectWithACustomTokenUsesThatToken() {
    Job job = Job.fixture("oidc-custom-token");
    aws.secret("app-secrets/database", DB).role(ROLE, job.variableValue("CUSTOM_AWS_TOKEN"));
    JobRun run = runner.run(job.script(valueIs("DATABASE_PASSWORD", "Db-Passw0rd-2026!")));
    assertSucceeded(run, "DATABASE_PASSWORD=value-ok");
  }

  @Test
  void shortFormReadsAFieldOrTheWholeSecret() {
    String api = "{\"api_key\":\"ak-1234567890abcdef\",\"region\":\"us\"}";
    aws.secret("app-secrets/api", api);
    JobRun run = runner.run(Job.fixture("short-form")
        .script(valueIs("API_KEY", "ak-1234567890abcdef"), valueIs("FULL_SECRET", api)));
    assertSucceeded(run, "API_KEY=value-ok", "FULL_SECRET=value-ok");
    assertEquals(1, aws.getSecretValueCalls(), "one fetch serves both variables");
  }

  @Test
  void versioningPinsAStageOrAVersionId() {
    aws.secretVersion("prod-app-secrets/database", Optional.empty(), Optional.of("AWSCURRENT"), "{\"password\":\"current-Passw0rd\"}")
        .secretVersion("prod-app-secrets/database", Optional.of("01234567-89ab-cdef-0123-456789abcdef"), Optional.empty(),
            "{\"password\":\"previous-Passw0rd\"}");
    JobRun run = runner.run(Job.fixture("versioning")
        .script(valueIs("DATABASE_PASSWORD", "current-Passw0rd"), valueIs("STAGING_DATABASE_PASSWORD", "previous-Passw0rd")));
    assertSucceeded(run, "DATABASE_PASSWORD=value-ok", "STAGING_DATABASE_PASSWORD=value-ok");
  }

  @Test
  void crossAccountSecretIsReadByItsArn() {
    Job job = Job.fixture("cross-account");
    String arn = "arn:aws:secretsmanager:us-east-1:987654321098:secret:shared-api-keys-AbCdEf";
    aws.secretAtArn(arn, "{\"production_key\":\"pk-live-0987654321\"}")
        .role("arn:aws:iam::123456789012:role/cross-account-secrets-role", job.variableValue("AWS_ID_TOKEN"));
    JobRun run = runner.run(job.script(valueIs("SHARED_API_KEY", "pk-live-0987654321")));
    assertSucceeded(run, "SHARED_API_KEY=value-ok");
  }

  @Test
  void perSecretOverridesPickRegionRoleSessionAndToken() {
    Job job = Job.fixture("per-secret-overrides");
    aws.secret("eu-app-secrets/database", "{\"password\":\"eu-Passw0rd-1\"}")
        .secret("us-app-secrets/database", "{\"password\":\"us-Passw0rd-1\"}")
        .role("arn:aws:iam::123456789012:role/eu-deployment-role", job.variableValue("EU_AWS_TOKEN"))
        .role("arn:aws:iam::123456789012:role/default-role", job.variableValue("AWS_ID_TOKEN"));
    JobRun run = runner.run(job.script(valueIs("EU_DATABASE_PASSWORD", "eu-Passw0rd-1"), valueIs("US_DATABASE_PASSWORD", "us-Passw0rd-1")));
    assertSucceeded(run, "EU_DATABASE_PASSWORD=value-ok", "US_DATABASE_PASSWORD=value-ok");
    assertEquals(2, aws.stsCalls(), "one STS call per distinct role");
  }

  @Test
  void fileSecretIsA0600FileWithoutTrailingNewlineAndOtherKindsAreLeftAlone() {
    String pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----";
    aws.secret("app-secrets/tls-key", pem);
    JobRun run = runner.run(Job.fixture("file-secret").script(fileHolds("TLS_KEY", pem), "cat \"$TLS_KEY\""));
    assertSucceeded(run, "TLS_KEY=file-ok");
    assertFalse(run.log().contains("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"), run::toString);
    assertFalse(run.log().contains("VAULT_TOKEN\"..."), "the vault secret is not ours");
  }

  @Test
  void definitionsVariableServesGitLabFree() {
    Job job = Job.fixture("definitions-variable");
    aws.secret("app-secrets/database", DB).secret("app-secrets/api", "{\"api_key\":\"ak-free-tier-123\"}").role(ROLE, job.variableValue("AWS_ID_TOKEN"));
    JobRun run = runner.run(job.script(valueIs("DATABASE_PASSWORD", "Db-Passw0rd-2026!"), fileHolds("API_KEY", "ak-free-tier-123")));
    assertSucceeded(run, "DATABASE_PASSWORD=value-ok", "API_KEY=file-ok");
  }

  @Test
  void jobWithoutSecretsRunsQuietly() {
    JobRun run = runner.run(Job.fixture("no-secrets").script("echo hello-from-the-job"));
    assertSucceeded(run, "hello-from-the-job");
    assertFalse(run.log().contains("Resolving secrets"));
    assertEquals(0, aws.getSecretValueCalls() + aws.stsCalls());
  }

  @Test
  void failingScriptReportsItsExitCodeAsABuildFailure() {
    aws.secret("app-secrets/database", DB);
    JobRun run = runner.run(Job.fixture("iam-role").script("exit 42").afterScript("echo after-script-ran"));
    assertEquals(JobRun.Outcome.BUILD_FAILURE, run.outcome(), run::toString);
    assertEquals(42, run.buildExitCode());
    assertTrue(run.log().contains("after-script-ran"));
    assertNothingLeft();
  }

}
