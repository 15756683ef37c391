package io.awssecretsdriver.job;

import io.awssecretsdriver.failure.DriverException;
import io.awssecretsdriver.failure.ExitCodes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The environment GitLab Runner gives every stage of a custom executor. */
public record JobEnvironment(Map<String, String> variables) {
  public static final String CUSTOM_ENV_PREFIX = "CUSTOM_ENV_";

  public JobEnvironment {
    variables = Map.copyOf(variables);
  }

  public Optional<String> get(String name) {
    String v = variables.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  public ExitCodes exitCodes() {
    return ExitCodes.from(variables);
  }

  /** The runner's per-job temporary directory, also the working directory of every stage. */
  public Path tmpDir() {
    return get("TMPDIR")
        .map(Path::of)
        .orElseThrow(() -> DriverException.system("TMPDIR is not set: this driver must be started by GitLab Runner's custom executor, which creates a temporary directory for every job."));
  }

  public Path jobResponseFile() {
    return get("JOB_RESPONSE_FILE")
        .map(Path::of)
        .orElseThrow(() -> DriverException.system("JOB_RESPONSE_FILE is not set: this driver needs GitLab Runner 15.9 or later, which hands the job payload to custom executor drivers."));
  }

  /** The job's variables as the runner passes them ({@code CUSTOM_ENV_} stripped). */
  public Map<String, String> customVariables() {
    Map<String, String> out = new LinkedHashMap<>();
    variables.forEach(
        (k, v) -> {
          if (k.startsWith(CUSTOM_ENV_PREFIX) && k.length() > CUSTOM_ENV_PREFIX.length()) {
            out.put(k.substring(CUSTOM_ENV_PREFIX.length()), v);
          }
        });
    return out;
  }

  @Override
  public String toString() {
    return "JobEnvironment[" + variables.size() + " variables]";
  }
}
