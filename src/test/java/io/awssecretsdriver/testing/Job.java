package io.awssecretsdriver.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One job for the {@link RunnerSimulator}: its payload (as GitLab sends it, usually loaded from
 * {@code test-fixtures/payloads}), its script and after_script, and an optional interruption.
 */
public final class Job {
  static final ObjectMapper JSON = new ObjectMapper();

  final ObjectNode payload;
  final List<String> script = new ArrayList<>();
  final List<String> afterScript = new ArrayList<>();
  Optional<Interruption> interruption = Optional.empty();

  private Job(ObjectNode payload) {
    this.payload = payload;
  }

  /** Loads {@code test-fixtures/payloads/NAME.json}. */
  public static Job fixture(String name) {
    try {
      return new Job((ObjectNode) JSON.readTree(Files.readString(fixtures().resolve("payloads").resolve(name + ".json"))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path fixtures() {
    Path p = Path.of("test-fixtures");
    return Files.isDirectory(p) ? p : Path.of(System.getProperty("user.dir")).resolve("test-fixtures");
  }

  public ObjectNode payload() {
    return payload;
  }

  public ObjectNode secrets() {
    return payload.with("secrets");
  }

  /** The value of one of the payload's variables, e.g. an ID token. */
  public String variableValue(String key) {
    String found = null;
    for (var v : payload.path("variables")) {
      if (v.path("key").asText().equals(key)) {
        found = v.path("value").asText();
      }
    }
    if (found == null) {
      throw new IllegalArgumentException("no variable " + key + " in the payload");
    }
    return found;
  }

  public Job variable(String key, String value) {
    ArrayNode vars = payload.withArray("variables");
    vars.addObject().put("key", key).put("value", value).put("public", false).put("masked", false);
    return this;
  }

  public Job fileVariable(String key, String value) {
    payload.withArray("variables").addObject().put("key", key).put("value", value).put("file", true);
    return this;
  }

  public Job script(String... lines) {
    script.addAll(List.of(lines));
    return this;
  }

  public Job afterScript(String... lines) {
    afterScript.addAll(List.of(lines));
    return this;
  }

  /** Cancel from the UI during a stage: SIGTERM to the stage's process group, SIGKILL after the grace time. */
  public Job cancelDuring(String stage, Duration after) {
    interruption = Optional.of(new Interruption(stage, after, Interruption.Kind.CANCEL, Optional.empty()));
    return this;
  }

  /** Cancel from the UI once the script has created this file (a point in the script, whatever the load). */
  public Job cancelWhen(String stage, Path marker) {
    interruption = Optional.of(new Interruption(stage, Duration.ofMillis(200), Interruption.Kind.CANCEL, Optional.of(marker)));
    return this;
  }

  /** The job's timeout during a stage: like cancel, but no later stage runs, only cleanup. */
  public Job timeoutDuring(String stage, Duration after) {
    interruption = Optional.of(new Interruption(stage, after, Interruption.Kind.TIMEOUT, Optional.empty()));
    return this;
  }

  /** The driver process killed outright (SIGKILL) during a stage, then the runner's cleanup. */
  public Job killDuring(String stage, Duration after) {
    interruption = Optional.of(new Interruption(stage, after, Interruption.Kind.KILL, Optional.empty()));
    return this;
  }

  /** When and how a stage is interrupted: {@code after} the stage starts, or after {@code marker} appears. */
  public record Interruption(String stage, Duration after, Kind kind, Optional<Path> marker) {
    public enum Kind { CANCEL, TIMEOUT, KILL }
  }
}
