package io.awssecretsdriver.e2e;

import static io.awssecretsdriver.testing.Checks.valueIs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.awssecretsdriver.testing.DriverTestBase;
import io.awssecretsdriver.testing.Job;
import io.awssecretsdriver.testing.JobRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runner admin's controls: scoping policy, lookup templates, audit log. */
class AdminControlIT extends DriverTestBase {

  private static Job jobReading(String secretId) {
    Job job = Job.fixture("no-secrets").variable("AWS_REGION", "us-east-1");
    job.secrets().putObject("DB").put("file", false).put("aws_secrets_manager", secretId);
    return job;
  }

  @Test
  void overridingPredefinedVariablesDoesNotBypassThePolicy() {
    writeConfig("policy:\n  default: deny\n  rules:\n    - name: own-project\n      allow: \"ci/{project_path}/**\"\n");
    aws.secret("ci/acme/other/db", "other-project-Passw0rd").secret("ci/acme/payments/db", "own-Passw0rd-123");
    // The job's author sets the predefined variables to another project's values.
    Job attack = jobReading("ci/acme/other/db").variable("CI_PROJECT_PATH", "acme/other").variable("CI_PROJECT_NAMESPACE", "acme")
        .variable("CI_PROJECT_ID", "9999");
    JobRun run = runner.run(attack.script("echo must-not-run"));
    assertEquals(JobRun.Outcome.BUILD_FAILURE, run.outcome(), run::toString);
    assertTrue(run.log().contains("Secret \"DB\" (ci/acme/other/db): denied by the runner's secrets policy ('ci/acme/other/db' by policy.default: deny)"),
        run::toString);
    assertEquals(0, aws.getSecretValueCalls(), "no AWS call for a denied secret");

    JobRun own = runner.run(jobReading("ci/acme/payments/db").script(valueIs("DB", "own-Passw0rd-123")));
    assertEquals(JobRun.Outcome.SUCCESS, own.outcome(), own::toString);
    assertNothingLeft();
  }

  @Test
  void protectedOnlyAndOidcOnlyRulesNameTheRuleThatDenied() {
    writeConfig("""
        policy:
          rules:
            - name: prod-needs-protected-ref
              allow: "prod/**"
              protected_ref: true
            - deny: "prod/**"
              name: no-prod
            - allow: "shared/**"
              auth: oidc
            - deny: "shared/**"
              name: shared-needs-oidc
        """);
    Job job = jobReading("shared/key");
    JobRun run = runner.run(job.script("true"));
    assertTrue(run.log().contains("by shared-needs-oidc") && run.log().contains("for the runner's own IAM role"), run::toString);
    Job unprotected = jobReading("prod/db");
    ((com.fasterxml.jackson.databind.node.ObjectNode) unprotected.payload().get("git_info")).put("protected", false);
    run = runner.run(unprotected.script("true"));
    assertTrue(run.log().contains("by no-prod"), run::toString);
    aws.secret("prod/db", "prod-Passw0rd-99");
    run = runner.run(jobReading("prod/db").script(valueIs("DB", "prod-Passw0rd-99")));
    assertEquals(JobRun.Outcome.SUCCESS, run.outcome(), run::toString);
  }

  @Test
  void lookupTemplatesFindTheFirstNameThatExists() {
    writeConfig("lookup_templates:\n  - \"/gitlab/{project_path}/{name}\"\n  - \"/gitlab/{namespace}/{name}\"\n");
    aws.secret("/gitlab/acme/db", "team-level-Passw0rd");
    JobRun run = runner.run(jobReading("db").script(valueIs("DB", "team-level-Passw0rd")));
    assertEquals(JobRun.Outcome.SUCCESS, run.outcome(), run::toString);
    assertTrue(run.log().contains("DB=value-ok"), run::toString);
    assertEquals(1, aws.getSecretValueCalls("/gitlab/acme/payments/db"));
    assertEquals(1, aws.getSecretValueCalls("/gitlab/acme/db"));
    JobRun missing = runner.run(jobReading("nothing").script("true"));
    assertTrue(missing.log().contains("no secret exists under any of the lookup names /gitlab/acme/payments/nothing, /gitlab/acme/nothing"),
        missing::toString);
  }

  @Test
  void auditLogHasOneLinePerSecretAndNoValues() throws Exception {
    Path audit = work.resolve("audit.jsonl");
    writeConfig("audit_log: " + audit + "\npolicy:\n  rules:\n    - deny: \"forbidden/**\"\n      name: no-forbidden\n");
    aws.secret("app-secrets/api", "{\"api_key\":\"ak-audit-value-123\"}");
    Job ok = Job.fixture("short-form");
    runner.run(ok.script("true"));
    runner.run(jobReading("forbidden/x").script("true"));
    List<String> lines = Files.readAllLines(audit);
    assertEquals(3, lines.size(), lines::toString);
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    List<String> fields = new java.util.ArrayList<>();
    first.fieldNames().forEachRemaining(fields::add);
    assertEquals(List.of("time", "runner", "job", "project", "ref", "variable", "secret", "versionId", "role", "region", "outcome", "reason"),
        fields, "the fields README.md documents, in its order");
    assertEquals("API_KEY", first.get("variable").asText());
    assertEquals("resolved", first.get("outcome").asText());
    assertEquals("acme/payments", first.get("project").asText());
    assertEquals("manager role", first.get("role").asText());
    assertTrue(first.get("secret").asText().startsWith("arn:aws:secretsmanager:us-east-1:123456789012:secret:app-secrets/api"));
    JsonNode denied = json.readTree(lines.get(2));
    assertEquals("denied", denied.get("outcome").asText());
    String all = String.join("\n", lines);
    assertFalse(all.contains("ak-audit-value-123"), "no value in the audit log");
    assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(audit)));
  }

  @Test
  void aDefinitionGivenBothWaysIsAnError() {
    Job job = Job.fixture("iam-role").variable("AWS_SECRETS_MANAGER_SECRETS", "DATABASE_PASSWORD:\n  aws_secrets_manager: app/db#pw\n");
    JobRun run = runner.run(job.script("true"));
    assertEquals(JobRun.Outcome.BUILD_FAILURE, run.outcome(), run::toString);
    assertTrue(run.log().contains("Secret \"DATABASE_PASSWORD\" is defined both under `secrets:` and in AWS_SECRETS_MANAGER_SECRETS"), run::toString);
  }
}
