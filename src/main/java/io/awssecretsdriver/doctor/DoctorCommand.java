package io.awssecretsdriver.doctor;

import io.awssecretsdriver.config.DriverConfig;
import io.awssecretsdriver.config.DriverConfigLoader;
import io.awssecretsdriver.definition.AwsNames;
import io.awssecretsdriver.doctor.ManagerProbe.Credentials;
import io.awssecretsdriver.doctor.ManagerProbe.Identity;
import io.awssecretsdriver.doctor.ManagerProbe.RegionFound;
import io.awssecretsdriver.doctor.ManagerProbe.SecretRead;
import io.awssecretsdriver.failure.DriverException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code doctor [--json]}: checks the runner manager's set-up for resolving secrets, one line per
 * check, for an admin or a monitoring probe. Exit 0 when no check failed, {@value #FAILED} otherwise;
 * a bad argument is a usage error (the system-failure code, as for every command).
 */
public final class DoctorCommand {
  public static final int FAILED = 1;
  /** STS answers in every region; without one, ask it where its global endpoint lives. */
  static final String STS_FALLBACK_REGION = "us-east-1";

  private final Map<String, String> env;
  private final Optional<String> configPath;
  private final PrintStream out;
  private final Supplier<ManagerProbe> probes;

  public DoctorCommand(Map<String, String> env, Optional<String> configPath, PrintStream out, Supplier<ManagerProbe> probes) {
    this.env = env;
    this.configPath = configPath;
    this.out = out;
    this.probes = probes;
  }

  public int run(List<String> args) {
    boolean json = false;
    for (String a : args) {
      if (!a.equals("--json")) {
        throw DriverException.system("doctor takes no argument but --json, found '" + a + "'.");
      }
      json = true;
    }
    DoctorReport report = examine();
    if (json) {
      out.println(report.json());
    } else {
      report.checks().forEach(c -> out.println(c.line()));
    }
    out.flush();
    return report.ok() ? 0 : FAILED;
  }

  DoctorReport examine() {
    DriverConfig config;
    CheckResult configCheck;
    try {
      config = DriverConfigLoader.load(configPath, env);
      configCheck = CheckResult.ok("config", describe(config));
    } catch (DriverException e) {
      config = DriverConfig.defaults("(built-in defaults)");
      configCheck = CheckResult.fail("config", String.join("; ", e.lines()),
          "correct the driver config (README.md, 'Driver configuration'); the checks below use the built-in defaults");
    }
    List<CheckResult> checks = new ArrayList<>();
    checks.add(configCheck);
    try (ManagerProbe probe = probes.get()) {
      Credentials credentials = probe.credentials();
      Optional<RegionFound> region = config.resolution().defaultRegion()
          .map(r -> new RegionFound(r, "driver config resolution.default_region"))
          .or(probe::region);
      ManagerProbe.Imds imds = probe.imds();
      String stsRegion = region.map(RegionFound::region).orElse(STS_FALLBACK_REGION);
      Optional<Identity> identity = credentials.source().isPresent() ? Optional.of(probe.callerIdentity(stsRegion)) : Optional.empty();
      Optional<String> secret = config.healthCheckSecret();
      Optional<String> secretRegion = secret.flatMap(AwsNames::arnRegion).or(() -> region.map(RegionFound::region));
      Optional<SecretRead> read = secret.isPresent() && secretRegion.isPresent() && credentials.source().isPresent()
          ? Optional.of(probe.readSecret(secret.get(), secretRegion.get())) : Optional.empty();

      checks.add(ManagerChecks.credentials(credentials));
      checks.add(ManagerChecks.identity(credentials, identity, stsRegion));
      checks.add(ManagerChecks.region(region));
      checks.add(ManagerChecks.imds(imds, credentials));
      checks.add(ManagerChecks.clock(identity));
      checks.add(ManagerChecks.healthCheckSecret(secret, secretRegion, credentials, read));
    }
    return new DoctorReport(checks);
  }

  private static String describe(DriverConfig config) {
    String what = "policy default " + config.policy().defaultEffect().name().toLowerCase(java.util.Locale.ROOT) + " with "
        + plural(config.policy().rules().size(), "rule") + ", " + plural(config.lookupTemplates().templates().size(), "lookup template");
    if (config.source().startsWith("(")) {
      return "built-in defaults, no " + DriverConfigLoader.DEFAULT_PATH + " (" + what + ")";
    }
    return config.source() + " is valid (" + what + ")";
  }

  private static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
