package io.awssecretsdriver.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process-level tests: a fake AWS, a simulated runner, and a driver config whose secret directory
 * is this test's own, so that nothing left behind can go unnoticed.
 */
public abstract class DriverTestBase {
  @TempDir protected Path work;
  protected FakeAws aws;
  protected RunnerSimulator runner;
  protected Path secretsDir;
  protected Path driverConfig;

  @BeforeEach
  void startFakes() throws IOException {
    aws = new FakeAws();
    secretsDir = Files.createDirectories(work.resolve("secrets"));
    driverConfig = work.resolve("driver.yml");
    writeConfig("");
    runner = new RunnerSimulator(work.resolve("runner"), aws.managerEnv()).config(driverConfig);
  }

  @AfterEach
  void stopFakes() {
    aws.close();
  }

  /** The driver config: this test's secret directory plus the given YAML. */
  protected void writeConfig(String yaml) {
    try {
      Files.writeString(driverConfig, "secrets_dir: " + secretsDir + "\n" + yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Nothing may remain of any job's secrets once its cleanup has run. */
  protected void assertNothingLeft() {
    try (Stream<Path> left = Files.walk(secretsDir)) {
      List<Path> files = left.filter(p -> !p.equals(secretsDir)).toList();
      assertEquals(List.of(), files, "secret files left after cleanup");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
