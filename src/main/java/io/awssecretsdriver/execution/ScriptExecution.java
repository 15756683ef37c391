package io.awssecretsdriver.execution;

import io.awssecretsdriver.failure.DriverException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.PumpStreamHandler;
import org.apache.commons.exec.ShutdownHookProcessDestroyer;

/**
 * Runs one of the runner's stage scripts with bash and streams its output through the given
 * (masking) streams. The script path is the only argument: values travel in the environment or in
 * files, never on a command line.
 */
public final class ScriptExecution {
  private ScriptExecution() {}

  /** Runs the script to its end and returns its exit code. */
  public static int run(String shell, Path script, Path workingDirectory, Map<String, String> env, OutputStream out, OutputStream err) {
    CommandLine command = new CommandLine(shell);
    command.addArgument(script.toString(), false);
    DefaultExecutor executor = DefaultExecutor.builder().setWorkingDirectory(workingDirectory.toFile()).get();
    executor.setExitValues(null); // every exit code is an answer, not an exception
    // Stdin closed: a job script must not wait for input. Output flows as the pumps read it.
    executor.setStreamHandler(new PumpStreamHandler(out, err, null));
    // If the driver alone is told to stop, bash is told too (SIGTERM; its trap exits 1).
    executor.setProcessDestroyer(new ShutdownHookProcessDestroyer());
    try {
      return executor.execute(command, env);
    } catch (ExecuteException e) {
      return e.getExitValue();
    } catch (IOException e) {
      throw DriverException.system("Cannot start " + shell + " for " + script.getFileName() + " (" + e.getClass().getSimpleName()
          + "): install bash on the runner manager and check that the script exists.");
    }
  }
}
