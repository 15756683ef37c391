package io.awssecretsdriver.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One run of the built launcher outside the {@link RunnerSimulator}: a stage with a crafted
 * environment, or an operator's command (doctor, check). Its own process group, killed after
 * {@link #LIMIT}.
 */
public record DriverProcess(int exit, String out, String err, Duration took, boolean timedOut) {
  public static final Duration LIMIT = Duration.ofSeconds(60);

  public List<String> lines() {
    return out.isEmpty() ? List.of() : List.of(out.split("\n"));
  }

  public String output() {
    return out + err;
  }

  /** As an operator runs it: PATH, LANG, HOME (under workDir), JAVA_HOME and the built jar, plus {@code env}. */
  public static DriverProcess run(Path workDir, Map<String, String> env, String... args) {
    Map<String, String> base = new LinkedHashMap<>();
    base.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    base.put("LANG", "C.UTF-8");
    try {
      base.put("HOME", Files.createDirectories(workDir.resolve("home")).toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Optional.ofNullable(System.getenv("JAVA_HOME")).ifPresent(j -> base.put("JAVA_HOME", j));
    Optional.ofNullable(System.getProperty("driver.jar")).ifPresent(j -> base.put("AWS_SECRETS_DRIVER_JAR", j));
    base.putAll(env);
    return exactly(base, workDir, List.of(args));
  }

  /** With exactly this environment and nothing else. */
  public static DriverProcess exactly(Map<String, String> env, Path cwd, List<String> args) {
    List<String> command = new ArrayList<>(List.of("setsid", RunnerSimulator.launcher().toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    ExecutorService readers = Executors.newFixedThreadPool(2);
    long start = System.nanoTime();
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()), readers);
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()), readers);
      boolean done = p.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        new ProcessBuilder("kill", "-KILL", "--", "-" + p.pid()).start().waitFor(5, TimeUnit.SECONDS);
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      return new DriverProcess(done ? p.exitValue() : -1, out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS),
          Duration.ofNanos(System.nanoTime() - start), !done);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("the driver could not be run: " + e, e);
    } finally {
      readers.shutdownNow();
    }
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public String toString() {
    return "exit " + exit + (timedOut ? " (killed after " + LIMIT.toSeconds() + " s)" : "") + "\n--- stdout ---\n" + out
        + "--- stderr ---\n" + err;
  }
}
