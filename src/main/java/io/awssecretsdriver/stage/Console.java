package io.awssecretsdriver.stage;

import java.io.PrintStream;

/**
 * The driver's own output: stdout and stderr as the runner routes them for the stage (job log, or
 * the runner's log for cleanup). Passed in, so whole stages are testable in-process.
 */
public record Console(PrintStream out, PrintStream err, boolean debug) {
  public void info(String line) {
    out.println(line);
    out.flush();
  }

  public void warn(String line) {
    err.println("WARNING: " + line);
    err.flush();
  }

  public void error(String line) {
    err.println("ERROR: " + line);
    err.flush();
  }
}
