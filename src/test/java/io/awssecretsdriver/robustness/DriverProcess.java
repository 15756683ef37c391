package io.awssecretsdriver.robustness;

import io.awssecretsdriver.testing.RunnerSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** One run of the driver's launcher with exactly the given environment and arguments, bounded in time. */
record DriverProcess(int exit, String out, String err, Duration took, boolean timedOut) {
  static final Duration LIMIT = Duration.ofSeconds(60);

  String output() {
    return out + err;
  }

  static DriverProcess run(Map<String, String> env, Path cwd, List<String> args) {
    List<String> command = new ArrayList<>(List.of("setsid", RunnerSimulator.launcher().toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    ExecutorService readers = Executors.newFixedThreadPool(2);
    long t0 = System.nanoTime();
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
          Duration.ofNanos(System.nanoTime() - t0), !done);
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
}
