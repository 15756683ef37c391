package io.awssecretsdriver.stage;

import io.awssecretsdriver.config.DriverConfig;
import io.awssecretsdriver.resolution.SecretStore;

/** Opens the store secrets are fetched from; AWS in production, a fake in tests. */
@FunctionalInterface
public interface SecretStores {
  SecretStore open(DriverConfig config);
}
