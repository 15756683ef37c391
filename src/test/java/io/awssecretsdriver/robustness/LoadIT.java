package io.awssecretsdriver.robustness;

import static io.awssecretsdriver.testing.Checks.fileHolds;
import static io.awssecretsdriver.testing.Checks.valueIs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.awssecretsdriver.testing.DriverTestBase;
import io.awssecretsdriver.testing.Job;
import io.awssecretsdriver.testing.JobRun;
import io.awssecretsdriver.testing.JobRun.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Many jobs at once on one runner manager, as a busy runner with {@code concurrent = 16} runs them:
 * every job has its own secrets, sees exactly those, and none of another job's, in its environment or
 * in its secret directory; nothing is left once the jobs are done, also when jobs are cancelled,
 * timed out or killed at random points.
 *
 * <p>Sizes: {@code -Dload.jobs} (default 200), {@code -Dload.concurrency} (16), {@code -Dload.cancels}
 * (30), {@code -Dload.seed}; hard limits {@code -Dload.limit.seconds} (360) and
 * {@code -Dload.cancel.limit.seconds} (150).
 */
class LoadIT extends DriverTestBase {
  static final int JOBS = Integer.getInteger("load.jobs", 200);
  static final int CONCURRENCY = Integer.getInteger("load.concurrency", 16);
  static final int CANCELS = Integer.getInteger("load.cancels", 30);
  static final long SEED = Long.getLong("load.seed", 0x5EC12E7L);
  /** The whole suite must stay well under 10 minutes on 2 cores: each part gets a hard limit. */
  static final Duration LOAD_LIMIT = Duration.ofSeconds(Long.getLong("load.limit.seconds", 360));
  static final Duration CANCEL_LIMIT = Duration.ofSeconds(Long.getLong("load.cancel.limit.seconds", 150));

  private static final Tally TALLY = new Tally();
  private static final List<String> SUMMARY = new ArrayList<>();

  @AfterAll
  static void summary() {
    SUMMARY.forEach(System.out::println);
  }

  /** One job's secrets: variable name -> value, the file secret among them. */
  record Plan(int index, Map<String, String> values, String fileVariable) {
    String secretId(String variable) {
      return "load/job-" + index + "/" + variable.toLowerCase();
    }
  }

  private static String token(Random rng, String prefix) {
    byte[] b = new byte[12];
    rng.nextBytes(b);
    return prefix + "-" + HexFormat.of().formatHex(b);
  }

  private static List<Plan> plans(int count, Random rng) {
    List<Plan> plans = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Map<String, String> v = new LinkedHashMap<>();
      // Every job has a file secret (its path shows the job's secret directory to the script) and 1-2 value secrets.
      v.put("TLS_KEY", token(rng, "tls1") + "\n" + token(rng, "tls2") + "\n" + token(rng, "tls3"));
      v.put("APP_PASSWORD", token(rng, "pw"));
      if (rng.nextBoolean()) {
        v.put("API_TOKEN", token(rng, "tok"));
      }
      plans.add(new Plan(i, v, "TLS_KEY"));
    }
    return plans;
  }

  /** Every line of every value of every job but this one: grep -F patterns the job must not find. */
  private Path othersFile(List<Plan> plans, Plan mine) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Plan p : plans) {
      if (p != mine) {
        p.values().values().forEach(v -> sb.append(v).append('\n'));
      }
    }
    Path f = Files.createDirectories(work.resolve("others")).resolve("job-" + mine.index() + ".txt");
    Files.writeString(f, sb.toString());
    return f;
  }

  private Job job(Plan plan, Path others, String... extraScript) {
    Job job = Job.fixture("iam-role");
    ObjectNode payload = job.payload();
    long id = 50_000 + plan.index();
    payload.put("id", id);
    payload.with("job_info").put("id", id);
    for (var v : payload.withArray("variables")) {
      if (v.path("key").asText().equals("CI_JOB_ID")) {
        ((ObjectNode) v).put("value", Long.toString(id));
      }
    }
    ObjectNode secrets = payload.putObject("secrets");
    List<String> script = new ArrayList<>();
    plan.values().forEach((variable, value) -> {
      boolean file = variable.equals(plan.fileVariable());
      ObjectNode entry = secrets.putObject(variable);
      entry.putObject("aws_secrets_manager").put("secret_id", plan.secretId(variable)).putObject("server").put("region", "us-east-1");
      entry.put("file", file);
      script.add(file ? fileHolds(variable, value) : valueIs(variable, value));
    });
    String dir = "\"$(dirname \"$" + plan.fileVariable() + "\")\"";
    script.add("if env | grep -qF -f " + others + "; then echo env-has-other-jobs-values; exit 3; else echo env-clean\"-ok\"; fi");
    script.add("if grep -rqF -f " + others + " " + dir + "; then echo dir-has-other-jobs-values; exit 4; else echo dir-clean\"-ok\"; fi");
    script.add("echo \"dir-files=$(ls -A " + dir + " | sort | tr '\\n' ,)\"");
    script.addAll(List.of(extraScript));
    return job.script(script.toArray(String[]::new));
  }

  /** What {@code ls -A | sort} shows in the job's secret directory: the driver's two files and one per secret. */
  private static String expectedFiles(Plan plan) {
    List<String> names = new ArrayList<>(List.of(".manifest.json", ".owner"));
    names.addAll(plan.values().keySet());
    return names.stream().sorted().map(n -> n + ",").collect(java.util.stream.Collectors.joining());
  }

  /** Runs the jobs CONCURRENCY at a time, within the part's limit; every job's run or the reason it has none. */
  private List<JobRun> runAll(int count, IntFunction<Job> jobs, Duration limit) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    try {
      List<Future<JobRun>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Job j = jobs.apply(i);
        futures.add(pool.submit(() -> runner.run(j)));
      }
      long deadline = System.nanoTime() + limit.toNanos();
      List<JobRun> runs = new ArrayList<>();
      for (Future<JobRun> f : futures) {
        try {
          runs.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
          fail("the jobs did not finish within " + limit + " (" + runs.size() + " of " + count + " done)");
        } catch (java.util.concurrent.ExecutionException e) {
          throw new AssertionError("the simulator failed", e.getCause());
        }
      }
      return runs;
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void concurrentJobsEachSeeTheirOwnSecretsAndNoOneElses() throws Exception {
    Random rng = new Random(SEED);
    List<Plan> plans = plans(JOBS, rng);
    for (Plan p : plans) {
      p.values().forEach((variable, value) -> aws.secret(p.secretId(variable), value));
    }
    List<Job> jobs = new ArrayList<>();
    for (Plan p : plans) {
      jobs.add(job(p, othersFile(plans, p)));
    }
    long t0 = System.nanoTime();
    List<JobRun> runs = runAll(JOBS, jobs::get, LOAD_LIMIT);
    Duration wall = Duration.ofNanos(System.nanoTime() - t0);

    Map<Outcome, Integer> outcomes = new TreeMap<>();
    runs.forEach(r -> outcomes.merge(r.outcome(), 1, Integer::sum));
    long leaked = Logs.filesBelow(secretsDir);
    SUMMARY.add("load: " + JOBS + " jobs, " + CONCURRENCY + " concurrent, seed " + SEED + ", outcomes " + outcomes + ", GetSecretValue calls "
        + aws.getSecretValueCalls() + ", leaked files " + leaked + ", wall " + wall.toSeconds() + " s ("
        + (wall.toMillis() / Math.max(1, JOBS)) + " ms/job)");

    for (int i = 0; i < runs.size(); i++) {
      JobRun run = runs.get(i);
      Plan plan = plans.get(i);
      assertEquals(Outcome.SUCCESS, run.outcome(), () -> "job " + plan.index() + "\n" + run);
      for (String variable : plan.values().keySet()) {
        String marker = variable + (variable.equals(plan.fileVariable()) ? "=file-ok" : "=value-ok");
        assertTrue(run.log().contains(marker), () -> "job " + plan.index() + " misses " + marker + "\n" + run);
      }
      assertTrue(run.log().contains("env-clean-ok") && run.log().contains("dir-clean-ok"), () -> "job " + plan.index() + "\n" + run);
      assertTrue(run.log().contains("dir-files=" + expectedFiles(plan)), () -> "job " + plan.index() + " secret dir\n" + run);
      for (Plan other : plans) {
        for (String value : other.values().values()) {
          for (String line : value.split("\n")) {
            assertFalse(run.log().contains(line), () -> "job " + plan.index() + " log shows a value of job " + other.index() + "\n" + run);
          }
        }
      }
      Logs.assertNoStackTrace(run.log() + run.runnerLog(), run::toString);
    }
    assertEquals(JOBS * 3 - plans.stream().filter(p -> p.values().size() == 2).count(), aws.getSecretValueCalls(),
        "one GetSecretValue per secret, no retries under load");
    assertNothingLeft();
  }

  @Test
  void jobsCancelledTimedOutOrKilledAtRandomPointsLeaveNothingBehind() throws Exception {
    Random rng = new Random(SEED ^ 0xCA11CE1L);
    List<Plan> plans = plans(CANCELS, rng);
    for (Plan p : plans) {
      p.values().forEach((variable, value) -> aws.secret(p.secretId(variable), value));
    }
    String[] stages = {"prepare", "get_sources", "build_script", "after_script", "cleanup_file_variables"};
    List<String> described = new ArrayList<>();
    List<Job> jobs = new ArrayList<>();
    for (Plan p : plans) {
      String stage = stages[rng.nextInt(stages.length)];
      Duration after = Duration.ofMillis(rng.nextInt(stage.equals("prepare") ? 2500 : 1500));
      int kind = rng.nextInt(3);
      Job job = job(p, othersFile(plans, p), "sleep 2").afterScript("sleep 1", "echo after-script-done");
      switch (kind) {
        case 0 -> job.cancelDuring(stage, after);
        case 1 -> job.timeoutDuring(stage, after);
        default -> job.killDuring(stage, after);
      }
      described.add((kind == 0 ? "cancel" : kind == 1 ? "timeout" : "kill") + "@" + stage + "+" + after.toMillis() + "ms");
      jobs.add(job);
    }
    long t0 = System.nanoTime();
    List<JobRun> runs = runAll(CANCELS, jobs::get, CANCEL_LIMIT);
    Duration wall = Duration.ofNanos(System.nanoTime() - t0);

    Map<Outcome, Integer> outcomes = new TreeMap<>();
    runs.forEach(r -> outcomes.merge(r.outcome(), 1, Integer::sum));
    Map<String, Integer> kinds = new TreeMap<>();
    described.forEach(d -> kinds.merge(d.substring(0, d.indexOf('+')), 1, Integer::sum));
    long leaked = Logs.filesBelow(secretsDir);
    SUMMARY.add("load-interrupted: " + CANCELS + " jobs, " + CONCURRENCY + " concurrent, seed " + SEED + ", interruptions " + kinds
        + ", outcomes " + outcomes + ", leaked files " + leaked + ", wall " + wall.toSeconds() + " s");

    for (int i = 0; i < runs.size(); i++) {
      JobRun run = runs.get(i);
      String what = "job " + i + " (" + described.get(i) + ")";
      assertTrue(run.outcome() == Outcome.CANCELED || run.outcome() == Outcome.SUCCESS, () -> what + "\n" + run);
      Logs.assertNoStackTrace(run.log() + run.runnerLog(), () -> what + "\n" + run);
      for (String value : plans.get(i).values().values()) {
        for (String line : value.split("\n")) {
          assertFalse(run.log().contains(line), () -> what + " printed its own secret unmasked\n" + run);
        }
      }
    }
    assertNothingLeft();
  }
}
