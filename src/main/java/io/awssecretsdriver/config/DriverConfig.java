package io.awssecretsdriver.config;

import io.awssecretsdriver.policy.LookupTemplates;
import io.awssecretsdriver.policy.Policy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Everything a runner admin can set, with a default for each. See README.md, "Driver configuration". */
public record DriverConfig(
    String source,
    Optional<Path> buildsDir,
    Optional<Path> cacheDir,
    boolean buildsDirIsShared,
    Optional<Path> secretsDir,
    Resolution resolution,
    int maskMinLength,
    DefinitionsVariableSetting definitionsVariable,
    Policy policy,
    LookupTemplates lookupTemplates,
    Optional<String> healthCheckSecret,
    Optional<Path> auditLog) {

  /** How secrets are fetched. */
  public record Resolution(
      int concurrency,
      Duration deadline,
      Duration apiCallTimeout,
      Duration apiCallAttemptTimeout,
      int maxAttempts,
      Optional<String> defaultRegion) {
    public static final Resolution DEFAULT =
        new Resolution(32, Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofSeconds(10), 4, Optional.empty());
  }

  /** The CI variable that may carry definitions as YAML (GitLab Free, runners before 18.3). */
  public record DefinitionsVariableSetting(boolean enabled, String name, int maxBytes) {
    public static final DefinitionsVariableSetting DEFAULT =
        new DefinitionsVariableSetting(true, "AWS_SECRETS_MANAGER_SECRETS", 64 * 1024);
  }

  public static DriverConfig defaults(String source) {
    return new DriverConfig(source, Optional.empty(), Optional.empty(), true, Optional.empty(), Resolution.DEFAULT,
        8, DefinitionsVariableSetting.DEFAULT, Policy.ALLOW_ALL, LookupTemplates.NONE, Optional.empty(), Optional.empty());
  }
}
