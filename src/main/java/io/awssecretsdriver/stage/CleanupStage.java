package io.awssecretsdriver.stage;

import io.awssecretsdriver.config.DriverConfig;
import io.awssecretsdriver.delivery.SecretDirectory;
import io.awssecretsdriver.job.JobEnvironment;
import java.time.Duration;
import java.util.List;

/**
 * {@code cleanup}: removes the job's secret files. The runner calls it in every ending (success,
 * failure, cancel, timeout), after a killed stage too; it also sweeps directories of jobs whose
 * runner died before its own cleanup.
 */
final class CleanupStage implements Stage {
  static final Duration ORPHAN_AGE = Duration.ofMinutes(10);

  private final JobEnvironment env;
  private final DriverConfig config;
  private final Console console;

  CleanupStage(StageContext context) {
    this.env = context.env();
    this.config = context.config();
    this.console = context.console();
  }

  @Override
  public int run(List<String> args) {
    SecretDirectory directory = SecretDirectory.locate(config.secretsDir(), env.tmpDir());
    int removed = directory.remove();
    if (removed > 0) {
      console.info("Removed the job's secret directory " + directory.path() + " (" + removed + " files)");
    }
    if (directory.sharedBase()) {
      int swept = SecretDirectory.sweepOrphans(directory.base(), ORPHAN_AGE, env.tmpDir());
      if (swept > 0) {
        console.info("Removed " + swept + " secret directories of jobs whose runner stopped before cleaning up");
      }
    }
    return 0;
  }
}
