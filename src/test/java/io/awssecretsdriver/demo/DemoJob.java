package io.awssecretsdriver.demo;

import io.awssecretsdriver.testing.Checks;
import io.awssecretsdriver.testing.FakeAws;
import io.awssecretsdriver.testing.Job;
import io.awssecretsdriver.testing.JobRun;
import io.awssecretsdriver.testing.RunnerSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code scripts/demo}: one job with secrets, run stage by stage through the real driver exactly as
 * GitLab Runner would, against a fake AWS started here on 127.0.0.1; prints the job log a user sees.
 */
public final class DemoJob {
  private DemoJob() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("aws-secrets-driver-demo");
    Path secrets = Files.createDirectories(work.resolve("secrets"));
    Path config = work.resolve("driver.yml");
    Files.writeString(config, "secrets_dir: " + secrets + "\n");
    try (FakeAws aws = new FakeAws()) {
      Job job = Job.fixture("per-secret-overrides");
      String jwt = job.variableValue("AWS_ID_TOKEN");
      String euJwt = job.variableValue("EU_AWS_TOKEN");
      aws.secret("eu-app-secrets/database", "{\"username\":\"eu_app\",\"password\":\"eu-Sup3r-Secret-Passw0rd\"}")
          .secret("us-app-secrets/database", "{\"username\":\"us_app\",\"password\":\"us-Sup3r-Secret-Passw0rd\"}")
          .secret("app-secrets/tls-key", "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7demo\n-----END PRIVATE KEY-----")
          .role("arn:aws:iam::123456789012:role/eu-deployment-role", euJwt)
          .role("arn:aws:iam::123456789012:role/default-role", jwt);
      job.secrets().putObject("TLS_KEY").putObject("aws_secrets_manager").put("secret_id", "app-secrets/tls-key")
          .putObject("server").put("region", "us-east-1").put("jwt", "$AWS_ID_TOKEN").put("role_arn", "arn:aws:iam::123456789012:role/default-role");
      job.script(
          "echo \"Deploying to EU with password $EU_DATABASE_PASSWORD\"",
          "echo \"Deploying to US with password $US_DATABASE_PASSWORD\"",
          "echo \"The TLS key is in the file $TLS_KEY:\"",
          "cat \"$TLS_KEY\"; echo",
          Checks.valueIs("EU_DATABASE_PASSWORD", "eu-Sup3r-Secret-Passw0rd"));
      RunnerSimulator runner = new RunnerSimulator(work.resolve("runner"), aws.managerEnv()).config(config);
      System.out.println("Running with a simulated GitLab Runner (custom executor), job " + job.payload().path("id").asInt()
          + " of project " + job.payload().path("job_info").path("project_full_path").asText());
      System.out.println("Using Custom executor with driver gitlab-aws-secrets-driver ...");
      long start = System.nanoTime();
      JobRun run = runner.run(job);
      System.out.print(run.log());
      System.out.println(run.outcome() == JobRun.Outcome.SUCCESS ? "Job succeeded" : "ERROR: Job failed: " + run.outcome());
      System.out.printf("(%d ms; AWS calls: %d STS, %d GetSecretValue; secret files left after cleanup: %d)%n",
          (System.nanoTime() - start) / 1_000_000, aws.stsCalls(), aws.getSecretValueCalls(), count(secrets));
      if (run.outcome() != JobRun.Outcome.SUCCESS) {
        System.exit(1);
      }
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static long count(Path dir) throws java.io.IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> !p.equals(dir)).count();
    }
  }
}
