package io.awssecretsdriver.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.awssecretsdriver.testing.FakeAws;
import io.awssecretsdriver.testing.RunnerSimulator;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * {@code scripts/bench}: prepare with one secret against a local fake without latency (the start-up
 * target), prepare latency and AWS calls for 1, 5, 20 and 50 secrets under one role with injected
 * latency (the driver's plan against the runner's one-by-one plan, on the same fake), and the
 * per-stage overhead of config, run and cleanup against {@code java -version}.
 */
public final class DriverBenchmark {
  static final String ROLE = "arn:aws:iam::123456789012:role/bench";
  static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.c2ln";
  static final int RUNS = Integer.getInteger("bench.runs", 5);
  static final Duration LATENCY = Duration.ofMillis(Long.getLong("bench.latency.ms", 50));

  private DriverBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("aws-secrets-driver-bench");
    try {
      try (FakeAws aws = new FakeAws()) {
        withLatency(work, aws);
      }
      try (FakeAws local = new FakeAws()) { // after the rest, when this JVM's own code no longer competes for the cores
        prepareWithoutLatency(work, local);
      }
      stageOverhead(work);
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The driver's plan against the runner's for 1, 5, 20 and 50 secrets under one role. */
  private static void withLatency(Path work, FakeAws aws) throws Exception {
    aws.latency(LATENCY).role(ROLE, JWT);
    for (int i = 0; i < 50; i++) {
      aws.secret("bench/secret-" + i, "{\"password\":\"bench-value-" + i + "-0123456789\"}");
    }
    System.out.printf("prepare with %d ms of latency per AWS call, one role (OIDC), medians of %d runs%n", LATENCY.toMillis(), RUNS);
    System.out.printf("%-8s | %-38s | %-38s | %s%n", "secrets", "driver (prepare process, cold JVM)", "runner's plan (in-process, warm SDK)", "speed-up");
    for (int n : new int[] {1, 5, 20, 50}) {
      Path payload = payload(work, n, true);
      List<Long> driver = new ArrayList<>();
      int sts = 0;
      int gsv = 0;
      for (int r = 0; r < RUNS; r++) {
        aws.resetCounts();
        driver.add(prepare(work, payload, aws, true));
        sts = aws.stsCalls();
        gsv = aws.getSecretValueCalls();
      }
      aws.resetCounts();
      List<Long> runner = runnersPlan(aws, n);
      int runnerCalls = aws.stsCalls() / RUNS + aws.getSecretValueCalls() / RUNS;
      System.out.printf("%-8d | %6d ms, %2d STS + %2d GetSecretValue      | %6d ms, %3d calls one after another   | %.1fx%n",
          n, median(driver), sts, gsv, median(runner), runnerCalls, (double) median(runner) / median(driver));
    }
  }

  /** One secret read with the manager's own identity from a fake on 127.0.0.1 that answers at once. */
  private static void prepareWithoutLatency(Path work, FakeAws aws) throws Exception {
    int runs = Integer.getInteger("bench.local.runs", 21);
    aws.secret("bench/secret-0", "{\"password\":\"bench-value-0-0123456789\"}");
    Path payload = payload(work, 1, false);
    for (int warm = 0; warm < 3; warm++) {
      prepare(work, payload, aws, false); // the page cache, and the fake's code in this JVM
    }
    List<Long> times = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      times.add(prepare(work, payload, aws, false));
    }
    Collections.sort(times);
    Path tmp = Files.createTempDirectory(work, "rss");
    Map<String, String> env = env(tmp, aws.managerEnv());
    env.put("JOB_RESPONSE_FILE", payload.toString());
    String rss = peakRss(List.of(RunnerSimulator.launcher().toString(), "prepare"), env, tmp);
    time(env, tmp, "cleanup");
    System.out.printf("%nprepare, 1 secret, manager identity, local fake without latency: median %d ms (min %d, max %d) over %d runs, "
        + "peak RSS %s%n", median(times), times.get(0), times.get(times.size() - 1), runs, rss);
  }

  private static Path payload(Path work, int n, boolean oidc) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode p = json.createObjectNode().put("id", 1);
    p.putObject("job_info").put("project_id", 1).put("project_full_path", "bench/project");
    p.putObject("git_info").put("ref", "main").put("ref_type", "branch").put("protected", true);
    var variables = p.putArray("variables");
    if (oidc) {
      variables.addObject().put("key", "AWS_ID_TOKEN").put("value", JWT);
    }
    ObjectNode secrets = p.putObject("secrets");
    for (int i = 0; i < n; i++) {
      ObjectNode s = secrets.putObject("SECRET_" + i);
      s.put("file", i % 2 == 0);
      ObjectNode server = s.putObject("aws_secrets_manager").put("secret_id", "bench/secret-" + i).put("field", "password")
          .putObject("server").put("region", "us-east-1");
      if (oidc) {
        server.put("jwt", "$AWS_ID_TOKEN").put("role_arn", ROLE);
      }
    }
    Path file = work.resolve("payload-" + n + (oidc ? "-oidc" : "") + ".json");
    json.writeValue(file.toFile(), p);
    return file;
  }

  /** One prepare process with the runner's environment, then its cleanup; returns prepare's wall time. */
  private static long prepare(Path work, Path payload, FakeAws aws, boolean oidc) throws Exception {
    Path tmp = Files.createTempDirectory(work, "job");
    Map<String, String> env = env(tmp, aws.managerEnv());
    env.put("JOB_RESPONSE_FILE", payload.toString());
    if (oidc) {
      env.put("CUSTOM_ENV_AWS_ID_TOKEN", JWT);
    }
    long ms = time(env, tmp, "prepare");
    time(env, tmp, "cleanup");
    return ms;
  }

  private static Map<String, String> env(Path tmp, Map<String, String> manager) {
    Map<String, String> env = new LinkedHashMap<>(manager);
    env.put("PATH", System.getenv("PATH"));
    env.put("HOME", tmp.toString());
    env.put("TMPDIR", tmp.toString());
    if (System.getProperty("driver.jar") != null) {
      env.put("AWS_SECRETS_DRIVER_JAR", System.getProperty("driver.jar"));
    }
    return env;
  }

  private static long time(Map<String, String> env, Path cwd, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(RunnerSimulator.launcher().toString());
    command.addAll(List.of(args));
    return timeCommand(command, env, cwd);
  }

  private static long timeCommand(List<String> command, Map<String, String> env, Path cwd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().clear();
    pb.environment().putAll(env);
    long start = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(command + " hung");
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(command + " exited " + p.exitValue());
    }
    return ms;
  }

  /** GitLab Runner's resolver: for every secret, one AssumeRoleWithWebIdentity, then one GetSecretValue. */
  private static List<Long> runnersPlan(FakeAws aws, int n) {
    List<Long> times = new ArrayList<>();
    try (var http = UrlConnectionHttpClient.builder().build();
        StsClient sts = StsClient.builder().region(Region.US_EAST_1).endpointOverride(URI.create(aws.endpoint()))
            .credentialsProvider(AnonymousCredentialsProvider.create()).httpClient(http).build()) {
      for (int warm = 0; warm <= RUNS; warm++) {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          Credentials c = sts.assumeRoleWithWebIdentity(b -> b.roleArn(ROLE).webIdentityToken(JWT).roleSessionName("bench")).credentials();
          try (SecretsManagerClient sm = SecretsManagerClient.builder().region(Region.US_EAST_1).endpointOverride(URI.create(aws.endpoint()))
              .httpClient(http).credentialsProvider(StaticCredentialsProvider.create(
                  AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()))).build()) {
            int index = i;
            sm.getSecretValue(b -> b.secretId("bench/secret-" + index));
          }
        }
        if (warm == 0) {
          aws.resetCounts(); // the first round only warms the SDK up
        } else {
          times.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
      }
    }
    return times;
  }

  private static void stageOverhead(Path work) throws Exception {
    int runs = Integer.getInteger("bench.stage.runs", 15);
    Path tmp = Files.createTempDirectory(work, "stages");
    Map<String, String> env = env(tmp, Map.of());
    Path payload = Files.writeString(tmp.resolve("response.json"), "{\"id\":1,\"variables\":[],\"secrets\":{}}");
    env.put("JOB_RESPONSE_FILE", payload.toString());
    Path script = Files.writeString(tmp.resolve("script.sh"), ":\n");
    String java = System.getenv("JAVA_HOME") != null ? System.getenv("JAVA_HOME") + "/bin/java" : "java";
    Map<String, List<String>> commands = new LinkedHashMap<>();
    commands.put("java -version", List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-version"));
    commands.put("config", List.of(RunnerSimulator.launcher().toString(), "config"));
    commands.put("run (empty script)", List.of(RunnerSimulator.launcher().toString(), "run", script.toString(), "build_script"));
    commands.put("cleanup", List.of(RunnerSimulator.launcher().toString(), "cleanup"));
    System.out.printf("%nper-stage overhead, medians of %d runs (peak RSS from /proc of one run)%n", runs);
    long baseline = 0;
    for (var e : commands.entrySet()) {
      List<Long> times = new ArrayList<>();
      timeCommand(e.getValue(), env, tmp);
      for (int i = 0; i < runs; i++) {
        times.add(timeCommand(e.getValue(), env, tmp));
      }
      long m = median(times);
      if (baseline == 0) {
        baseline = m;
      }
      System.out.printf("%-20s %5d ms  %4.1fx java -version  peak RSS %s%n", e.getKey(), m, (double) m / baseline, peakRss(e.getValue(), env, tmp));
    }
  }

  /** Peak resident set size via GNU time, when installed. */
  private static String peakRss(List<String> command, Map<String, String> env, Path cwd) {
    Path time = Path.of("/usr/bin/time");
    if (!Files.isExecutable(time)) {
      return "n/a (no /usr/bin/time)";
    }
    try {
      List<String> c = new ArrayList<>(List.of(time.toString(), "-f", "%M"));
      c.addAll(command);
      ProcessBuilder pb = new ProcessBuilder(c).directory(cwd.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().clear();
      pb.environment().putAll(env);
      Process p = pb.start();
      String err = new String(p.getErrorStream().readAllBytes()).trim();
      p.waitFor(60, TimeUnit.SECONDS);
      String[] lines = err.split("\n");
      return (Long.parseLong(lines[lines.length - 1].trim()) / 1024) + " MiB";
    } catch (Exception e) {
      return "n/a";
    }
  }

  static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
