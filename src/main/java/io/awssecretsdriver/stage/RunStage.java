package io.awssecretsdriver.stage;

import io.awssecretsdriver.config.DriverConfig;
import io.awssecretsdriver.delivery.DeliveredSecret;
import io.awssecretsdriver.delivery.SecretDirectory;
import io.awssecretsdriver.execution.ScriptEnvironment;
import io.awssecretsdriver.execution.ScriptExecution;
import io.awssecretsdriver.failure.DriverException;
import io.awssecretsdriver.job.JobEnvironment;
import io.awssecretsdriver.masking.Masker;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code run SCRIPT STAGE}: runs one of the runner's scripts with the job's secrets in its
 * environment, and every byte it prints passes the masker. Loads no AWS code.
 */
final class RunStage implements Stage {
  static final String CLEANUP_FILE_VARIABLES = "cleanup_file_variables";

  private final JobEnvironment env;
  private final DriverConfig config;
  private final Console console;

  RunStage(StageContext context) {
    this.env = context.env();
    this.config = context.config();
    this.console = context.console();
  }

  @Override
  public int run(List<String> args) {
    if (args.size() < 2) {
      throw DriverException.system("run needs the script path and the stage name, which GitLab Runner appends: check run_args in config.toml.");
    }
    Path script = Path.of(args.get(0));
    String stageName = args.get(1);
    if (!Files.isRegularFile(script)) {
      throw DriverException.system("the " + stageName + " script " + script + " does not exist: GitLab Runner writes it before every run stage; check the runner's temporary directory.");
    }
    SecretDirectory directory = SecretDirectory.locate(config.secretsDir(), env.tmpDir());
    List<DeliveredSecret> delivered = directory.exists() ? directory.manifest() : List.of();

    Map<String, String> secretEnv = new LinkedHashMap<>();
    List<byte[]> values = new ArrayList<>();
    boolean guarded = false;
    for (DeliveredSecret s : delivered) {
      byte[] value = directory.readValue(s.variable());
      values.add(value);
      secretEnv.put(s.variable(), s.file() ? directory.valueFile(s.variable()).toString() : new String(value, StandardCharsets.UTF_8));
      guarded |= s.guarded();
    }
    if (guarded) {
      secretEnv.put("BASH_ENV", directory.path().resolve(SecretDirectory.BASH_ENV).toString());
    }
    Masker masker = Masker.of(values, config.maskMinLength());
    OutputStream out = masker.wrap(new KeepOpen(console.out()));
    OutputStream err = masker.wrap(new KeepOpen(console.err()));
    Thread flushOnStop = new Thread(() -> closeQuietly(out, err), "flush-masked-output");
    Runtime.getRuntime().addShutdownHook(flushOnStop);
    int exit;
    try {
      exit = ScriptExecution.run("bash", script, Path.of("").toAbsolutePath(), ScriptEnvironment.of(env.variables(), secretEnv), out, err);
    } finally {
      closeQuietly(out, err);
      try {
        Runtime.getRuntime().removeShutdownHook(flushOnStop);
      } catch (IllegalStateException shuttingDown) {
        // the hook is already running
      }
    }
    if (stageName.equals(CLEANUP_FILE_VARIABLES)) {
      directory.remove();
    }
    if (exit == 0) {
      return 0;
    }
    env.get("BUILD_EXIT_CODE_FILE").ifPresent(file -> writeExitCode(Path.of(file), exit));
    return env.exitCodes().buildFailure();
  }

  private void writeExitCode(Path file, int exit) {
    try {
      Files.writeString(file, exit + "\n");
    } catch (IOException e) {
      console.warn("cannot write the script's exit code to BUILD_EXIT_CODE_FILE (" + e.getClass().getSimpleName() + ").");
    }
  }

  private static void closeQuietly(OutputStream... streams) {
    for (OutputStream s : streams) {
      try {
        s.close();
      } catch (IOException e) {
        // the runner has gone: nothing is left to print to
      }
    }
  }

  /** Lets the masker flush its held-back bytes at the end without closing the driver's own stream. */
  private static final class KeepOpen extends FilterOutputStream {
    KeepOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
