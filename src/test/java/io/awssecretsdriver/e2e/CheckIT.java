package io.awssecretsdriver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.awssecretsdriver.testing.Checks;
import io.awssecretsdriver.testing.DriverProcess;
import io.awssecretsdriver.testing.DriverTestBase;
import io.awssecretsdriver.testing.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code check} as a project's maintainer or the runner admin runs it on a .gitlab-ci.yml. */
class CheckIT extends DriverTestBase {
  static final String ROLE = "arn:aws:iam::123456789012:role/";
  static final String DB = "{\"password\":\"Db-Passw0rd-2026!\",\"username\":\"app\"}";
  static final String API = "{\"api_key\":\"ak-1234567890abcdef\"}";

  private static String fixture(String name) {
    return Job.fixtures().resolve("ci").resolve(name).toAbsolutePath().toString();
  }

  private DriverProcess check(Map<String, String> manager, String... args) {
    Map<String, String> env = new LinkedHashMap<>(manager);
    env.put("AWS_SECRETS_DRIVER_CONFIG", driverConfig.toString());
    List<String> all = new ArrayList<>(List.of("check"));
    all.addAll(List.of(args));
    return DriverProcess.run(work, env, all.toArray(String[]::new));
  }

  @Test
  void everyExampleOfGitLabsPageIsValid() {
    DriverProcess r = check(Map.of(), fixture("gitlab-docs-examples.yml"));
    assertEquals(List.of(
        "Job database-migration-iam-role:",
        "  OK   DATABASE_PASSWORD: app-secrets/database#password in us-east-1 with the runner manager's identity, file: false",
        "Job database-migration-oidc:",
        "  OK   DATABASE_PASSWORD: app-secrets/database#password in us-east-1 with role " + ROLE + "gitlab-secrets-role (ID token "
            + "AWS_ID_TOKEN), file: false",
        "Job database-migration-custom-token:",
        "  OK   DATABASE_PASSWORD: app-secrets/database#password in us-east-1 with role " + ROLE + "gitlab-secrets-role (ID token "
            + "CUSTOM_AWS_TOKEN), file: false",
        "Job api-deployment:",
        "  OK   API_KEY: app-secrets/api#api_key in us-east-1 with the runner manager's identity, file: false",
        "  OK   FULL_SECRET: app-secrets/api in us-east-1 with the runner manager's identity, file: false",
        "Job production-deployment:",
        "  OK   DATABASE_PASSWORD: prod-app-secrets/database#password stage AWSCURRENT in us-east-1 with the runner manager's "
            + "identity, file: false",
        "  OK   STAGING_DATABASE_PASSWORD: prod-app-secrets/database#password version 01234567-89ab-cdef-0123-456789abcdef in "
            + "us-east-1 with the runner manager's identity, file: false",
        "Job cross-account-deployment:",
        "  OK   SHARED_API_KEY: arn:aws:secretsmanager:us-east-1:987654321098:secret:shared-api-keys-AbCdEf#production_key in "
            + "us-east-1 with role " + ROLE + "cross-account-secrets-role (ID token AWS_ID_TOKEN), file: false",
        "Job multi-region-deployment:",
        "  OK   EU_DATABASE_PASSWORD: eu-app-secrets/database#password in eu-west-1 with role " + ROLE + "eu-deployment-role (ID "
            + "token EU_AWS_TOKEN), file: false",
        "  OK   US_DATABASE_PASSWORD: us-app-secrets/database#password in us-east-1 with role " + ROLE + "default-role (ID token "
            + "AWS_ID_TOKEN), file: false",
        "Checked 8 jobs: 10 secrets valid, 0 failed, 0 undecided, 0 not ours."), r.lines(), r::toString);
    assertEquals(0, r.exit(), r::toString);
    assertEquals("", r.err(), r::toString);
  }

  @Test
  void brokenDefinitionsFailNamingTheJobTheVariableAndTheRule() {
    DriverProcess r = check(Map.of(), fixture("broken-definitions.yml"));
    assertEquals(List.of(
        "Job missing-secret-id:",
        "  FAIL Secret \"DATABASE_PASSWORD\": has no 'secret_id': give the secret's name or ARN.",
        "Job both-versions:",
        "  FAIL Secret \"DATABASE_PASSWORD\": sets both 'version_id' and 'version_stage': a secret can pin one or the other, "
            + "remove one.",
        "Job role-without-id-token:",
        "  FAIL Secret \"DATABASE_PASSWORD\": a role ARN is set (" + ROLE + "gitlab-secrets-role) but the ID token AWS_ID_TOKEN is "
            + "empty: add `id_tokens: AWS_ID_TOKEN: aud: sts.amazonaws.com` to the job, or name another with `token:`.",
        "Job token-not-declared:",
        "  FAIL Secret \"EU_DATABASE_PASSWORD\": a role ARN is set (" + ROLE + "gitlab-secrets-role) but the ID token EU_AWS_TOKEN "
            + "is empty: add `id_tokens: EU_AWS_TOKEN: aud: sts.amazonaws.com` to the job, or name another with `token:`.",
        "Job id-token-without-role:",
        "  FAIL Secret \"DATABASE_PASSWORD\": the ID token AWS_ID_TOKEN is set but no role ARN is: set AWS_ROLE_ARN or 'role_arn' "
            + "to use OpenID Connect, or remove the ID token to use the runner's IAM role. (Role ARN is required when using JWT "
            + "for AWS authentication.)",
        "Job bad-region:",
        "  FAIL Secret \"DATABASE_PASSWORD\": 'AWS_REGION' is 'us-east', which is not an AWS region such as us-east-1.",
        "Job undefined-variable:",
        "  FAIL Secret \"DATABASE_PASSWORD\": 'secret_id' is empty after expanding $APP_SECRET: define the variables it refers to.",
        "Job broken-extends:",
        "  FAIL unknown key in `extends` ('.not-defined-here' is not defined in this file, and check does not read included "
            + "files): fix the name, or define the template here.",
        "Job run-time-reference:",
        "  OK   DATABASE_PASSWORD: apps/$CI_PROJECT_NAME/database#password in us-east-1 with the runner manager's identity, file: "
            + "false; CI_PROJECT_NAME resolved at run time",
        "  SKIP VAULT_TOKEN: not ours (vault): left to the resolver it names",
        "Checked 9 jobs: 1 secret valid, 8 failed, 0 undecided, 1 not ours."), r.lines(), r::toString);
    assertEquals(1, r.exit(), r::toString);
  }

  @Test
  void resolveFetchesWithTheManagersIdentityAndShowsOnlyLengthAndHashPrefix() {
    aws.secret("app-secrets/database", DB).secret("app-secrets/api", API)
        .secretVersion("prod-app-secrets/database", Optional.empty(), Optional.of("AWSCURRENT"), "{\"password\":\"current-Passw0rd\"}")
        .secretVersion("prod-app-secrets/database", Optional.of("01234567-89ab-cdef-0123-456789abcdef"), Optional.empty(),
            "{\"password\":\"previous-Passw0rd\"}");
    DriverProcess r = check(aws.managerEnv(), fixture("gitlab-docs-examples.yml"), "--resolve");
    List<String> lines = r.lines();
    assertEquals("  OK   DATABASE_PASSWORD: app-secrets/database#password in us-east-1 with the runner manager's identity, file: "
        + "false; fetched 17 bytes, sha256:" + prefix("Db-Passw0rd-2026!"), lines.get(1), r::toString);
    assertEquals("  OK   DATABASE_PASSWORD: app-secrets/database#password in us-east-1 with role " + ROLE + "gitlab-secrets-role "
        + "(ID token AWS_ID_TOKEN), file: false; not fetched: it uses OpenID Connect, and no ID token exists outside a job",
        lines.get(3), r::toString);
    assertEquals("  OK   API_KEY: app-secrets/api#api_key in us-east-1 with the runner manager's identity, file: false; fetched 19 "
        + "bytes, sha256:" + prefix("ak-1234567890abcdef"), lines.get(7), r::toString);
    assertEquals("  OK   FULL_SECRET: app-secrets/api in us-east-1 with the runner manager's identity, file: false; fetched "
        + API.length() + " bytes, sha256:" + prefix(API), lines.get(8), r::toString);
    assertEquals("  OK   STAGING_DATABASE_PASSWORD: prod-app-secrets/database#password version 01234567-89ab-cdef-0123-456789abcdef "
        + "in us-east-1 with the runner manager's identity, file: false; fetched 17 bytes, sha256:" + prefix("previous-Passw0rd"),
        lines.get(11), r::toString);
    assertEquals(0, r.exit(), r::toString);
    assertEquals(0, aws.stsCalls(), "no ID token outside a job, so no STS call");
    assertEquals(4, aws.getSecretValueCalls(), "one call per distinct secret version");
    for (String value : List.of("Db-Passw0rd-2026!", "ak-1234567890abcdef", "current-Passw0rd", "previous-Passw0rd", "AKIDMANAGER")) {
      assertFalse(r.out().contains(value) || r.err().contains(value), () -> "printed " + value + "\n" + r);
    }
  }

  @Test
  void resolveReportsAFetchFailureInPreparesWords() {
    aws.secretError("app-secrets/database", 400, "AccessDeniedException", "not authorized");
    DriverProcess r = check(aws.managerEnv(), fixture("gitlab-docs-examples.yml"), "--resolve", "--job",
        "database-migration-iam-role");
    assertEquals(List.of(
        "Job database-migration-iam-role:",
        "  FAIL Secret \"DATABASE_PASSWORD\" (app-secrets/database#password): access denied: the runner manager's own AWS identity "
            + "may not call secretsmanager:GetSecretValue on 'app-secrets/database': allow it in that identity's IAM policy (and, "
            + "for another account, in the secret's resource policy and its KMS key policy). AWS says: not authorized",
        "Checked 1 job: 0 secrets valid, 1 failed, 0 undecided, 0 not ours."), r.lines(), r::toString);
    assertEquals(1, r.exit(), r::toString);
  }

  @Test
  void policyNeedsTheProjectAndRefToDecide() throws IOException {
    writeConfig("lookup_templates: [\"/gitlab/{project_path}/{name}\"]\npolicy:\n  default: deny\n  rules:\n"
        + "    - allow: \"/gitlab/{project_path}/**\"\n      protected_ref: true\n");
    Path file = Files.writeString(work.resolve(".gitlab-ci.yml"), "variables:\n  AWS_REGION: us-east-1\n"
        + "deploy:\n  secrets:\n    DB:\n      aws_secrets_manager: 'db#password'\n      file: false\n  script: [echo]\n");
    DriverProcess unknown = check(Map.of(), file.toString());
    assertEquals("  NOTE Secret \"DB\" (db#password): depends on the job's project/ref: the runner's secrets policy decides on the "
        + "job's project and protection, unknown here; give --project GROUP/PROJECT --ref REF [--protected] to check it.",
        unknown.lines().get(1), unknown::toString);
    assertEquals(0, unknown.exit(), unknown::toString);

    DriverProcess allowed = check(Map.of(), file.toString(), "--project", "acme/payments", "--ref", "main", "--protected");
    assertEquals("  OK   DB: db#password in us-east-1 with the runner manager's identity, file: false, looked up as "
        + "/gitlab/acme/payments/db", allowed.lines().get(1), allowed::toString);
    assertEquals(0, allowed.exit(), allowed::toString);

    DriverProcess denied = check(Map.of(), file.toString(), "--project", "acme/payments", "--ref", "feature");
    assertEquals("  FAIL Secret \"DB\" (db#password): denied by the runner's secrets policy ('/gitlab/acme/payments/db' by "
        + "policy.default: deny) for the runner's own IAM role: ask the runner admin, or use a secret this project may read.",
        denied.lines().get(1), denied::toString);
    assertEquals(1, denied.exit(), denied::toString);
  }

  @Test
  void projectVariablesComeFromVarOptions() throws IOException {
    Path file = Files.writeString(work.resolve(".gitlab-ci.yml"), "deploy:\n  id_tokens:\n    AWS_ID_TOKEN:\n"
        + "      aud: sts.amazonaws.com\n  secrets:\n    DB:\n      aws_secrets_manager: 'db#password'\n  script: [echo]\n");
    DriverProcess r = check(Map.of(), file.toString(), "--var", "AWS_REGION=eu-west-1", "--var",
        "AWS_ROLE_ARN=" + ROLE + "deploy");
    assertEquals(List.of("Job deploy:", "  OK   DB: db#password in eu-west-1 with role " + ROLE + "deploy (ID token AWS_ID_TOKEN), "
        + "file: true", "Checked 1 job: 1 secret valid, 0 failed, 0 undecided, 0 not ours."), r.lines(), r::toString);
  }

  @Test
  void unreadableFilesAndUnknownJobsAreNamed() throws IOException {
    DriverProcess missing = check(Map.of(), work.resolve("nope.yml").toString());
    assertEquals(1, missing.exit(), missing::toString);
    assertEquals("ERROR: " + work.resolve("nope.yml") + " does not exist: give the path of a .gitlab-ci.yml.\n", missing.err());

    Path bad = Files.writeString(work.resolve("bad.yml"), "job:\n  script: [echo\n");
    DriverProcess yaml = check(Map.of(), bad.toString());
    assertEquals(1, yaml.exit(), yaml::toString);
    assertEquals(true, yaml.err().startsWith("ERROR: " + bad + " is not valid YAML (line 3, column 1): "), yaml::toString);

    DriverProcess job = check(Map.of(), fixture("gitlab-docs-examples.yml"), "--job", "nope");
    assertEquals(1, job.exit(), job::toString);
    assertEquals(true, job.err().startsWith("ERROR: no job 'nope' in "), job::toString);

    DriverProcess usage = check(Map.of(), "--job");
    assertEquals(2, usage.exit(), usage::toString);
  }

  private static String prefix(String value) {
    return Checks.sha256(value).substring(0, 12);
  }
}
