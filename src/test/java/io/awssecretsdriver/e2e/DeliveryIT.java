package io.awssecretsdriver.e2e;

import static io.awssecretsdriver.testing.Checks.fileHolds;
import static io.awssecretsdriver.testing.Checks.valueIs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awssecretsdriver.testing.DriverTestBase;
import io.awssecretsdriver.testing.FakeAws;
import io.awssecretsdriver.testing.Job;
import io.awssecretsdriver.testing.JobRun;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** How values reach the script: types, binary secrets, ARN regions, name clashes, runner-resolved secrets. */
class DeliveryIT extends DriverTestBase {

  @Test
  void numbersAndBooleansKeepTheTextTheyHaveInTheSecret() {
    aws.secret("app/config", "{\"big\":1234567,\"ratio\":1.50,\"exp\":1e+06,\"on\":true}");
    Job job = Job.fixture("no-secrets").variable("AWS_REGION", "us-east-1");
    for (String f : new String[] {"big", "ratio", "exp", "on"}) {
      job.secrets().putObject(f.toUpperCase()).put("file", false).put("aws_secrets_manager", "app/config#" + f);
    }
    JobRun run = runner.run(job.script(valueIs("BIG", "1234567"), valueIs("RATIO", "1.50"), valueIs("EXP", "1e+06"), valueIs("ON", "true")));
    assertEquals(JobRun.Outcome.SUCCESS, run.outcome(), run::toString);
    for (String m : new String[] {"BIG=value-ok", "RATIO=value-ok", "EXP=value-ok", "ON=value-ok"}) {
      assertTrue(run.log().contains(m), () -> m + " in " + run);
    }
  }

  @Test
  void binarySecretIsBase64InAVariableAndRawBytesInAFile() {
    byte[] bytes = new byte[300];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 7);
    }
    aws.binarySecret("app/keystore", bytes);
    Job job = Job.fixture("no-secrets").variable("AWS_REGION", "us-east-1");
    job.secrets().putObject("KEYSTORE_B64").put("file", false).put("aws_secrets_manager", "app/keystore");
    job.secrets().putObject("KEYSTORE").put("aws_secrets_manager", "app/keystore");
    JobRun run = runner.run(job.script(valueIs("KEYSTORE_B64", Base64.getEncoder().encodeToString(bytes)), fileHolds("KEYSTORE", bytes)));
    assertEquals(JobRun.Outcome.SUCCESS, run.outcome(), run::toString);
    assertTrue(run.log().contains("KEYSTORE_B64=value-ok") && run.log().contains("KEYSTORE=file-ok"), run::toString);
    assertEquals(1, aws.getSecretValueCalls());
    assertNothingLeft();
  }

  @Test
  void arnRegionIsUsedWhenTheJobGivesNone() {
    String arn = FakeAws.arn("eu-central-1", FakeAws.ACCOUNT, "regional/db");
    aws.secretAtArn(arn, "{\"password\":\"eu-central-Passw0rd\"}");
    Job job = Job.fixture("no-secrets");
    job.secrets().putObject("DB").put("file", false).putObject("aws_secrets_manager").put("secret_id", arn).put("field", "password");
    JobRun run = runner.run(job.script(valueIs("DB", "eu-central-Passw0rd")));
    assertEquals(JobRun.Outcome.SUCCESS, run.outcome(), run::toString);
    assertTrue(run.log().contains("DB=value-ok"), run::toString);
  }

  @Test
  void secretWinsOverACiVariableOfTheSameName() {
    aws.secret("app-secrets/database", "{\"password\":\"the-real-Passw0rd\"}");
    Job job = Job.fixture("iam-role").variable("DATABASE_PASSWORD", "placeholder-from-yaml");
    JobRun run = runner.run(job.script(valueIs("DATABASE_PASSWORD", "the-real-Passw0rd"), "export OTHER=still-works && echo \"other=$OTHER\"")
        .afterScript(valueIs("DATABASE_PASSWORD", "the-real-Passw0rd")));
    assertEquals(JobRun.Outcome.SUCCESS, run.outcome(), run::toString);
    assertEquals(2, run.log().split("DATABASE_PASSWORD=value-ok", -1).length - 1, run::toString);
    assertTrue(run.log().contains("other=still-works"), run::toString);
    assertNothingLeft();
  }

  @Test
  void secretAlreadyResolvedByTheRunnerIsLeftAlone() {
    // An 18.3+ runner passes its resolved value as CUSTOM_ENV_NAME, which is not among the payload's variables.
    Job job = Job.fixture("iam-role");
    JobRun run = new io.awssecretsdriver.testing.RunnerSimulator(work.resolve("runner2"), withRunnerResolved()).config(driverConfig)
        .run(job.script("echo job-ran"));
    assertEquals(JobRun.Outcome.SUCCESS, run.outcome(), run::toString);
    assertTrue(run.log().contains("Secret \"DATABASE_PASSWORD\" was already resolved by GitLab Runner: left as it is."), run::toString);
    assertEquals(0, aws.getSecretValueCalls());
  }

  private java.util.Map<String, String> withRunnerResolved() {
    java.util.Map<String, String> env = aws.managerEnv();
    env.put("CUSTOM_ENV_DATABASE_PASSWORD", "resolved-by-the-runner");
    return env;
  }

  @Test
  void defaultSecretDirectoryIsMemoryBackedAndRemoved() throws Exception {
    java.nio.file.Files.writeString(driverConfig, "");
    aws.secret("app-secrets/tls-key", "-----BEGIN KEY-----\nabcdefghijklmnop\n-----END KEY-----");
    JobRun run = runner.run(Job.fixture("file-secret").script("dirname \"$TLS_KEY\" > \"$CI_PROJECT_DIR/../where\""));
    assertEquals(JobRun.Outcome.SUCCESS, run.outcome(), run::toString);
    java.nio.file.Path where = java.nio.file.Files.walk(work.resolve("runner")).filter(p -> p.getFileName().toString().equals("where"))
        .findFirst().orElseThrow();
    String dir = java.nio.file.Files.readString(where).trim();
    assertTrue(dir.startsWith("/dev/shm/gitlab-aws-secrets-"), dir);
    assertFalse(java.nio.file.Files.exists(java.nio.file.Path.of(dir)), "removed by cleanup");
  }
}
