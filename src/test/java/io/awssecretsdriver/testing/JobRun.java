package io.awssecretsdriver.testing;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a simulated job produced: the job log, each stage's exit code, and how the job ended. */
public record JobRun(String log, Map<String, Integer> exits, Outcome outcome, Integer buildExitCode, String runnerLog,
    int attempts, Path lastTmpDir) {

  public enum Outcome { SUCCESS, BUILD_FAILURE, SYSTEM_FAILURE, UNKNOWN_FAILURE, CANCELED }

  public JobRun {
    exits = new LinkedHashMap<>(exits);
  }

  @Override
  public String toString() {
    return "JobRun[" + outcome + ", exits " + exits + ", attempts " + attempts + "]\n--- job log ---\n" + log
        + "--- runner log ---\n" + runnerLog;
  }
}
