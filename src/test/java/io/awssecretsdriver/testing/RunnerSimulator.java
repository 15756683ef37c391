package io.awssecretsdriver.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.awssecretsdriver.testing.JobRun.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Plays GitLab Runner's custom executor for one job against the built driver: a 0700 temp dir per
 * attempt, JOB_RESPONSE_FILE, CUSTOM_ENV_* variables, a generated bash script per stage, one driver
 * process per stage in its own process group, the exit-code protocol, prepare retries on a system
 * failure, cancel and timeout signals, and cleanup in every ending.
 */
public final class RunnerSimulator {
  static final int MAX_ATTEMPTS = 3;
  static final Duration STAGE_LIMIT = Duration.ofSeconds(90);
  static final Duration GRACEFUL_KILL = Duration.ofSeconds(3);
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)\\}?");

  private final Path workRoot;
  private final Map<String, String> managerEnv;
  private Optional<Path> driverConfig = Optional.empty();
  private final List<String> driverArgs = new ArrayList<>();

  public RunnerSimulator(Path workRoot, Map<String, String> managerEnv) {
    this.workRoot = workRoot;
    this.managerEnv = new LinkedHashMap<>(managerEnv);
  }

  public RunnerSimulator config(Path file) {
    this.driverConfig = Optional.of(file);
    return this;
  }

  /** Arguments placed before the stage name, as config.toml's *_args would. */
  public RunnerSimulator driverArgs(String... args) {
    driverArgs.addAll(List.of(args));
    return this;
  }

  public Path workRoot() {
    return workRoot;
  }

  public static Path launcher() {
    String p = System.getProperty("driver.launcher");
    return p != null ? Path.of(p) : Path.of("scripts/aws-secrets-driver").toAbsolutePath();
  }

  public JobRun run(Job job) {
    StringBuilder log = new StringBuilder();
    StringBuilder runnerLog = new StringBuilder();
    Map<String, Integer> exits = new LinkedHashMap<>();
    Path tmp = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      tmp = newTmpDir();
      Map<String, String> env = baseEnv(tmp, job);
      StageResult config = stage(List.of("config"), env, tmp, job, "config", false);
      log.append(config.err);
      exits.put("config", config.exit);
      Path buildsDir = Path.of(env.get("HOME"), "builds");
      if (config.exit == 0 && !config.out.isBlank()) {
        try {
          JsonNode c = Job.JSON.readTree(config.out);
          buildsDir = Path.of(c.path("builds_dir").asText(buildsDir.toString()));
        } catch (IOException e) {
          config = new StageResult(2, config.out, config.err, false);
        }
      }
      Outcome failure = failureOf(config.exit);
      if (failure == null) {
        addJobVariables(env, job, buildsDir);
        StageResult prepare = stage(List.of("prepare"), env, tmp, job, "prepare", true);
        log.append(prepare.out);
        exits.put("prepare", prepare.exit);
        failure = prepare.interrupted ? Outcome.CANCELED : failureOf(prepare.exit);
        if (failure == null) {
          return finish(runStages(job, env, tmp, buildsDir, log, exits), log, runnerLog, exits, attempt, env, tmp, job);
        }
      }
      cleanup(env, tmp, runnerLog, job);
      if (failure != Outcome.SYSTEM_FAILURE || attempt == MAX_ATTEMPTS) {
        return new JobRun(log.toString(), exits, failure, null, runnerLog.toString(), attempt, tmp);
      }
      log.append("WARNING: Preparation failed: exit status 2\nWill be retried in 3s ...\n");
    }
    throw new IllegalStateException("unreachable");
  }

  private JobRun finish(Outcome outcome, StringBuilder log, StringBuilder runnerLog, Map<String, Integer> exits, int attempt,
      Map<String, String> env, Path tmp, Job job) {
    Integer buildExit = readExitCode(tmp);
    cleanup(env, tmp, runnerLog, job);
    return new JobRun(log.toString(), exits, outcome, buildExit, runnerLog.toString(), attempt, tmp);
  }

  /** The script stages in the runner's order, with its rules for failures, cancel and timeout. */
  private Outcome runStages(Job job, Map<String, String> env, Path tmp, Path buildsDir, StringBuilder log, Map<String, Integer> exits) {
    String projectDir = buildsDir.resolve(job.payload.path("job_info").path("project_full_path").asText("group/project")).toString();
    Outcome outcome = Outcome.SUCCESS;
    boolean timedOut = false;
    for (String stage : List.of("get_sources", "build_script")) {
      StageResult r = runScript(stage, stage.equals("build_script") ? job.script : List.of("true"), env, tmp, projectDir, job);
      log.append(r.out);
      exits.put(stage, r.exit);
      if (r.interrupted) {
        outcome = Outcome.CANCELED;
        timedOut = job.interruption.map(i -> i.kind() == Job.Interruption.Kind.TIMEOUT).orElse(false);
        break;
      }
      if (r.exit != 0) {
        outcome = failureOf(r.exit);
        break;
      }
    }
    if (timedOut) {
      return outcome; // a job timeout skips every remaining stage: only cleanup runs
    }
    if (!job.afterScript.isEmpty()) {
      StageResult r = runScript("after_script", job.afterScript, env, tmp, projectDir, job);
      log.append(r.out);
      exits.put("after_script", r.exit);
    }
    StageResult r = runScript("cleanup_file_variables", List.of(), env, tmp, projectDir, job);
    log.append(r.out);
    exits.put("cleanup_file_variables", r.exit);
    return outcome;
  }

  private StageResult runScript(String stage, List<String> commands, Map<String, String> env, Path tmp, String projectDir, Job job) {
    Map<String, String> vars = new LinkedHashMap<>();
    Map<String, Boolean> files = new LinkedHashMap<>();
    env.forEach((k, v) -> {
      if (k.startsWith("CUSTOM_ENV_")) {
        vars.put(k.substring(11), v);
      }
    });
    for (JsonNode v : job.payload.path("variables")) {
      files.put(v.path("key").asText(), v.path("file").asBoolean(false));
    }
    List<String> body = new ArrayList<>(commands);
    if (stage.equals("cleanup_file_variables")) {
      files.forEach((k, isFile) -> {
        if (isFile) {
          body.add("rm -f \"" + projectDir + ".tmp/" + k + "\"");
        }
      });
    }
    Path script = tmp.resolve("script." + stage);
    try {
      Files.writeString(script, BashScript.generate(vars, files, projectDir, body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return stage(List.of("run", script.toString(), stage), env, tmp, job, stage, true);
  }

  private void cleanup(Map<String, String> env, Path tmp, StringBuilder runnerLog, Job job) {
    StageResult r = stage(List.of("cleanup"), env, tmp, job, "cleanup", false);
    runnerLog.append(r.out).append(r.err);
    if (r.exit != 0) {
      runnerLog.append("WARNING: cleanup exited with ").append(r.exit).append('\n');
    }
    deleteTree(tmp); // the runner removes its temp dir after cleanup
  }

  private StageResult stage(List<String> args, Map<String, String> env, Path cwd, Job job, String stageName, boolean mergeOutput) {
    List<String> command = new ArrayList<>(List.of("setsid", launcher().toString()));
    command.addAll(driverArgs);
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(mergeOutput);
    pb.environment().clear();
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      CompletableFuture<String> out = read(p.getInputStream());
      CompletableFuture<String> err = mergeOutput ? CompletableFuture.completedFuture("") : read(p.getErrorStream());
      boolean interrupted = false;
      Optional<Job.Interruption> i = job.interruption.filter(x -> x.stage().equals(stageName));
      if (i.isPresent() && i.get().marker().isPresent()) {
        long until = System.nanoTime() + STAGE_LIMIT.toNanos();
        while (!Files.exists(i.get().marker().get()) && p.isAlive() && System.nanoTime() < until) {
          Thread.sleep(20);
        }
      }
      if (i.isPresent() && !p.waitFor(i.get().after().toMillis(), TimeUnit.MILLISECONDS)) {
        interrupted = true;
        if (i.get().kind() == Job.Interruption.Kind.KILL) {
          signal(p.pid(), "KILL");
        } else {
          signal(p.pid(), "TERM");
          if (!p.waitFor(GRACEFUL_KILL.toMillis(), TimeUnit.MILLISECONDS)) {
            signal(p.pid(), "KILL");
          }
        }
      }
      if (!p.waitFor(STAGE_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        signal(p.pid(), "KILL");
        p.waitFor(5, TimeUnit.SECONDS);
        return new StageResult(-1, out.getNow(""), "stage " + stageName + " exceeded " + STAGE_LIMIT + "\n", true);
      }
      return new StageResult(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS), interrupted);
    } catch (Exception e) {
      throw new IllegalStateException("stage " + stageName + " could not be run: " + e, e);
    }
  }

  private static void signal(long processGroup, String signal) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + signal, "--", "-" + processGroup).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
  }

  private static CompletableFuture<String> read(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    });
  }

  private Map<String, String> baseEnv(Path tmp, Job job) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("LANG", "C.UTF-8");
    Path home = workRoot.resolve("home");
    try {
      Files.createDirectories(home);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env.put("HOME", home.toString());
    Optional.ofNullable(System.getenv("JAVA_HOME")).ifPresent(j -> env.put("JAVA_HOME", j));
    Optional.ofNullable(System.getProperty("driver.jar")).ifPresent(j -> env.put("AWS_SECRETS_DRIVER_JAR", j));
    env.putAll(managerEnv);
    driverConfig.ifPresent(c -> env.put("AWS_SECRETS_DRIVER_CONFIG", c.toString()));
    env.put("TMPDIR", tmp.toString());
    env.put("BUILD_FAILURE_EXIT_CODE", "1");
    env.put("SYSTEM_FAILURE_EXIT_CODE", "2");
    env.put("BUILD_EXIT_CODE_FILE", tmp.resolve("build_exit_code").toString());
    Path response = tmp.resolve("response.json");
    try {
      Files.writeString(response, job.payload.toString() + "\n");
      Files.setPosixFilePermissions(response, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env.put("JOB_RESPONSE_FILE", response.toString());
    return env;
  }

  /** CUSTOM_ENV_ for every variable, expanded once as GetAllVariables does, runner-added ones first. */
  private static void addJobVariables(Map<String, String> env, Job job, Path buildsDir) {
    Map<String, String> raw = new LinkedHashMap<>();
    raw.put("CI_BUILDS_DIR", buildsDir.toString());
    raw.put("CI_PROJECT_DIR", buildsDir.resolve(job.payload.path("job_info").path("project_full_path").asText("group/project")).toString());
    raw.put("CI_CONCURRENT_ID", "0");
    raw.put("CI_SERVER", "yes");
    raw.put("CI_JOB_STATUS", "running");
    Map<String, Boolean> rawFlags = new LinkedHashMap<>();
    for (JsonNode v : job.payload.path("variables")) {
      raw.remove(v.path("key").asText());
      raw.put(v.path("key").asText(), v.path("value").asText(""));
      rawFlags.put(v.path("key").asText(), v.path("raw").asBoolean(false));
    }
    raw.forEach((k, v) -> env.put("CUSTOM_ENV_" + k, rawFlags.getOrDefault(k, false) ? v : expand(v, raw)));
  }

  static String expand(String value, Map<String, String> vars) {
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(vars.getOrDefault(m.group(1), "")));
    }
    return m.appendTail(out).toString();
  }

  private Path newTmpDir() {
    try {
      Files.createDirectories(workRoot);
      return Files.createTempDirectory(workRoot, "custom-executor", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Integer readExitCode(Path tmp) {
    try {
      return Integer.parseInt(Files.readAllLines(tmp.resolve("build_exit_code")).get(0).trim());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Outcome failureOf(int exit) {
    return switch (exit) {
      case 0 -> null;
      case 1 -> Outcome.BUILD_FAILURE;
      case 2 -> Outcome.SYSTEM_FAILURE;
      default -> Outcome.UNKNOWN_FAILURE;
    };
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record StageResult(int exit, String out, String err, boolean interrupted) {}
}
