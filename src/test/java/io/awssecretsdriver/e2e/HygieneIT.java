package io.awssecretsdriver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awssecretsdriver.testing.DriverTestBase;
import io.awssecretsdriver.testing.Job;
import io.awssecretsdriver.testing.JobRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No resolved value, ID token or AWS credential shows where it must not: process arguments, the
 * environments of the driver and its script, the job log, files; and every ending leaves nothing.
 */
class HygieneIT extends DriverTestBase {
  private final String valueSecret = "value-" + UUID.randomUUID();
  private final String fileSecret = "file-" + UUID.randomUUID();

  private Job job() {
    aws.secret("hyg/value", valueSecret).secret("hyg/file", "{\"key\":\"" + fileSecret + "\"}");
    Job job = Job.fixture("no-secrets").variable("AWS_REGION", "us-east-1");
    job.secrets().putObject("VALUE_SECRET").put("file", false).put("aws_secrets_manager", "hyg/value");
    job.secrets().putObject("FILE_SECRET").put("aws_secrets_manager", "hyg/file#key");
    return job;
  }

  private static String read(Path p) {
    try {
      return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return ""; // processes come and go while we scan
    }
  }

  @Test
  void valuesNeverShowInArgumentsEnvironmentsLogsOrFiles() throws Exception {
    Instant start = Instant.now();
    Path pids = work.resolve("pids");
    Job job = job().script("echo \"$$ $PPID\" > " + pids, "sleep 4", "echo \"printing $VALUE_SECRET and $(cat \"$FILE_SECRET\")\"");
    CompletableFuture<JobRun> running = CompletableFuture.supplyAsync(() -> runner.run(job));
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Files.exists(pids) && System.nanoTime() < until && !running.isDone()) {
      Thread.sleep(20);
    }
    String[] ids = Files.readString(pids).trim().split(" ");
    String scriptEnv = read(Path.of("/proc", ids[0], "environ"));
    String driverEnv = read(Path.of("/proc", ids[1], "environ"));
    String driverArgs = read(Path.of("/proc", ids[1], "cmdline"));
    assertTrue(driverArgs.contains("run"), "found the driver's run stage: " + driverArgs);
    List<String> allArgs = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs.filter(p -> p.getFileName().toString().matches("\\d+")).forEach(p -> allArgs.add(read(p.resolve("cmdline"))));
    }
    JobRun run = running.get();
    assertEquals(JobRun.Outcome.SUCCESS, run.outcome(), run::toString);

    String jwtFree = String.join("\n", allArgs);
    assertFalse(jwtFree.contains(valueSecret) || jwtFree.contains(fileSecret), "a value in some process's arguments");
    assertTrue(scriptEnv.contains("VALUE_SECRET=" + valueSecret), "a file: false value is what its variable is for");
    assertFalse(scriptEnv.contains(fileSecret), "a file: true value must stay in its file");
    assertFalse(scriptEnv.contains("AWS_SECRET_ACCESS_KEY") || scriptEnv.contains("JOB_RESPONSE_FILE") || scriptEnv.contains("CUSTOM_ENV_"),
        "the manager's credentials and the job payload are withheld from the script");
    assertFalse(driverEnv.contains(valueSecret) || driverEnv.contains(fileSecret), "the driver's own environment holds no value");
    assertTrue(run.log().contains("printing [MASKED] and [MASKED]"), run::toString);
    assertFalse(run.log().contains(valueSecret) || run.log().contains(fileSecret), run::toString);
    assertFalse(run.runnerLog().contains(valueSecret) || run.runnerLog().contains(fileSecret));
    assertNoFileHolds(start, work, Path.of("/dev/shm"), Path.of(System.getProperty("java.io.tmpdir")));
    assertNothingLeft();
  }

  private void assertNoFileHolds(Instant since, Path... roots) throws IOException {
    for (Path root : roots) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(Files::isRegularFile).filter(Files::isReadable).toList()) {
          try {
            if (Files.getLastModifiedTime(f).toInstant().isBefore(since) || Files.size(f) > 1_000_000) {
              continue;
            }
            String text = read(f);
            assertFalse(text.contains(valueSecret) || text.contains(fileSecret), () -> "a value in " + f);
          } catch (IOException gone) {
            // removed while scanning
          }
        }
      } catch (java.io.UncheckedIOException | IOException unreadable) {
        // a directory of another user
      }
    }
  }

  private void assertEndsClean(JobRun run, JobRun.Outcome expected) {
    assertEquals(expected, run.outcome(), run::toString);
    assertFalse(run.log().contains(valueSecret) || run.log().contains(fileSecret), run::toString);
    assertNothingLeft();
  }

  @Test
  void buildFailureLeavesNothing() {
    assertEndsClean(runner.run(job().script("exit 3")), JobRun.Outcome.BUILD_FAILURE);
  }

  @Test
  void systemFailureLeavesNothing() {
    aws.secretError("hyg/file", 503, "ServiceUnavailable", "injected");
    writeConfig("resolution:\n  max_attempts: 1\n");
    assertEndsClean(runner.run(job().script("true")), JobRun.Outcome.SYSTEM_FAILURE);
  }

  @Test
  void cancelDuringTheScriptStillRunsAfterScriptAndLeavesNothing() {
    Path marker = work.resolve("cancel-now");
    JobRun run = runner.run(job().script("echo \"before cancel $VALUE_SECRET\"", "touch " + marker, "sleep 30")
        .afterScript("echo after-script-after-cancel")
        .cancelWhen("build_script", marker));
    assertEndsClean(run, JobRun.Outcome.CANCELED);
    assertTrue(run.log().contains("before cancel [MASKED]"), run::toString);
    assertTrue(run.log().contains("after-script-after-cancel"), run::toString);
  }

  @Test
  void timeoutSkipsTheRemainingStagesButCleanupLeavesNothing() {
    JobRun run = runner.run(job().script("sleep 30").afterScript("echo must-not-run").timeoutDuring("build_script", Duration.ofSeconds(2)));
    assertEndsClean(run, JobRun.Outcome.CANCELED);
    assertFalse(run.log().contains("must-not-run\n"), run::toString);
  }

  @Test
  void killedDriverMidStageLeavesNothingAfterCleanup() {
    assertEndsClean(runner.run(job().script("sleep 30").killDuring("build_script", Duration.ofSeconds(2))), JobRun.Outcome.CANCELED);
  }

  @Test
  void prepareKilledHalfWayLeavesNothing() {
    aws.latency(Duration.ofSeconds(3));
    assertEndsClean(runner.run(job().script("true").killDuring("prepare", Duration.ofMillis(1500))), JobRun.Outcome.CANCELED);
  }
}
