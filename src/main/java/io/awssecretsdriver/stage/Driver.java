package io.awssecretsdriver.stage;

import io.awssecretsdriver.aws.ManagerDiagnostics;
import io.awssecretsdriver.check.CheckCommand;
import io.awssecretsdriver.config.DriverConfig;
import io.awssecretsdriver.config.DriverConfigLoader;
import io.awssecretsdriver.doctor.DoctorCommand;
import io.awssecretsdriver.failure.DriverException;
import io.awssecretsdriver.failure.ExitCodes;
import io.awssecretsdriver.failure.FailureKind;
import io.awssecretsdriver.job.JobEnvironment;
import io.awssecretsdriver.job.RawPayload;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses the command line, runs one stage and maps every failure to one clear message and the exit
 * code the runner asked for. Nothing below it calls {@code System.exit} or prints a stack trace
 * (unless {@code --debug}).
 */
public final class Driver {
  static final String USAGE = "usage: aws-secrets-driver [--config PATH] [--debug] config|prepare|run SCRIPT STAGE|cleanup|doctor [--json]|check FILE [--job NAME] [--project PATH] [--ref REF] [--ref-type branch|tag] [--protected] [--var NAME=VALUE]... [--resolve]|version";

  private final Map<String, String> env;
  private final Console console;
  private final SecretStores stores;
  private final Clock clock;

  public Driver(Map<String, String> env, Console console, SecretStores stores, Clock clock) {
    this.env = env;
    this.console = console;
    this.stores = stores;
    this.clock = clock;
  }

  public int run(String... argv) {
    JobEnvironment jobEnv = new JobEnvironment(env);
    ExitCodes codes = jobEnv.exitCodes();
    Optional<String> configPath = Optional.empty();
    boolean debug = console.debug() || "1".equals(env.get("AWS_SECRETS_DRIVER_DEBUG"));
    List<String> args = new ArrayList<>(List.of(argv));
    while (!args.isEmpty() && args.get(0).startsWith("--")) {
      String flag = args.remove(0);
      if (flag.equals("--config") && !args.isEmpty()) {
        configPath = Optional.of(args.remove(0));
      } else if (flag.startsWith("--config=")) {
        configPath = Optional.of(flag.substring("--config=".length()));
      } else if (flag.equals("--debug")) {
        debug = true;
      } else {
        console.error("unknown option " + flag + ". " + USAGE);
        return codes.systemFailure();
      }
    }
    if (args.isEmpty()) {
      console.error("no stage given. " + USAGE);
      return codes.systemFailure();
    }
    String command = args.remove(0);
    Console out = new Console(console.out(), console.err(), debug);
    try {
      if (command.equals("version")) {
        out.info(Version.userAgent());
        return 0;
      }
      if (command.equals("cds-training")) {
        return CdsTraining.run();
      }
      if (command.equals("doctor")) { // before the config is loaded: a broken config is one of its findings
        return new DoctorCommand(env, configPath, out.out(), () -> new ManagerDiagnostics(Version.userAgent(), clock)).run(args);
      }
      // prepare: the SDK loads on the other core while the config is read
      Optional<RawPayload> payload = command.equals("prepare") ? PrepareStage.rehearseIfSecrets(jobEnv, stores) : Optional.empty();
      DriverConfig config;
      try {
        config = DriverConfigLoader.load(configPath, env);
      } catch (DriverException e) {
        if (command.equals("cleanup")) { // the config broke after prepare: the job's secrets must still go
          int removed = io.awssecretsdriver.delivery.SecretDirectory.removeRecorded(jobEnv.tmpDir());
          if (removed > 0) {
            out.info("Removed the job's secret directory (" + removed + " files) recorded by prepare; the driver config cannot be read:");
          }
        }
        throw e;
      }
      StageContext context = new StageContext(jobEnv, config, out);
      Stage stage = switch (command) {
        case "config" -> new ConfigStage(context);
        case "prepare" -> new PrepareStage(context, stores, clock, payload);
        case "run" -> new RunStage(context);
        case "cleanup" -> new CleanupStage(context);
        case "check" -> new CheckCommand(config, out.out(), stores::open)::run;
        default -> null;
      };
      if (stage == null) {
        out.error("unknown stage '" + command + "'. " + USAGE);
        return codes.systemFailure();
      }
      return stage.run(args);
    } catch (DriverException e) {
      for (String line : e.lines()) {
        out.error(line);
      }
      return codes.of(e.kind());
    } catch (java.io.IOException | RuntimeException | Error e) {
      // A bug of ours, not the user's: one line, and the trace only when asked for.
      out.error("internal error in the driver (" + e.getClass().getName() + "): please report it; rerun with "
          + "AWS_SECRETS_DRIVER_DEBUG=1 for details.");
      if (debug) {
        e.printStackTrace(out.err());
      }
      return codes.of(FailureKind.SYSTEM);
    }
  }
}
