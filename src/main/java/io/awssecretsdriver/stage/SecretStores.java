package io.awssecretsdriver.stage;

import io.awssecretsdriver.config.DriverConfig;
import io.awssecretsdriver.resolution.SecretStore;

/** Opens the store secrets are fetched from; AWS in production, a fake in tests. */
@FunctionalInterface
public interface SecretStores {
  SecretStore open(DriverConfig config);

  /**
   * Runs the store's first-call code once without calling out, so that the first real fetch finds
   * it loaded. Prepare calls it on another core before it reads its config. Optional.
   */
  default void rehearse() {}
}
