package io.awssecretsdriver.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the built launcher once as an operator would, outside any job (doctor, check), with exactly
 * the given environment on top of PATH, HOME and the jar's location; killed after a minute.
 */
public final class DriverProcess {
  static final long LIMIT_SECONDS = 60;

  private DriverProcess() {}

  public record Result(int exit, String out, String err) {
    public List<String> lines() {
      return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
  }

  public static Result run(Path workDir, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(RunnerSimulator.launcher().toString()));
    command.addAll(List.of(args));
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
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    pb.environment().clear();
    pb.environment().putAll(base);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      CompletableFuture<String> out = read(p.getInputStream());
      CompletableFuture<String> err = read(p.getErrorStream());
      if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new IllegalStateException("aws-secrets-driver " + String.join(" ", args) + " ran longer than " + LIMIT_SECONDS + " s");
      }
      return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
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
}
