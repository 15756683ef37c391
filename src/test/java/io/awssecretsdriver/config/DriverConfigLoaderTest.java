package io.awssecretsdriver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awssecretsdriver.failure.DriverException;
import io.awssecretsdriver.failure.FailureKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriverConfigLoaderTest {
  @TempDir Path dir;

  private static String error(String yaml) {
    DriverException e = assertThrows(DriverException.class, () -> DriverConfigLoader.parse("driver.yml", yaml));
    assertEquals(FailureKind.SYSTEM, e.kind());
    return e.lines().get(0);
  }

  @Test
  void emptyFileMeansDefaults() {
    DriverConfig c = DriverConfigLoader.parse("driver.yml", "");
    assertEquals(32, c.resolution().concurrency());
    assertEquals(Duration.ofMinutes(2), c.resolution().deadline());
    assertEquals(8, c.maskMinLength());
    assertEquals("AWS_SECRETS_MANAGER_SECRETS", c.definitionsVariable().name());
  }

  @Test
  void theReadmeExampleIsValid() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("```yaml\n# Where the runner puts builds");
    String yaml = readme.substring(readme.indexOf('\n', start) + 1, readme.indexOf("```", start + 7));
    DriverConfig c = DriverConfigLoader.parse("README.md", yaml);
    assertEquals(5, c.policy().rules().size());
    assertEquals(3, c.lookupTemplates().templates().size());
    assertEquals(Optional.of("us-east-1"), c.resolution().defaultRegion());
  }

  @Test
  void errorsNameTheKey() {
    assertEquals("Driver config driver.yml: unknown key 'resolution.concurency'. See README.md, section 'Driver configuration', for the keys.",
        error("resolution:\n  concurency: 4\n"));
    assertTrue(error("resolution:\n  concurrency: many\n").startsWith("Driver config driver.yml: 'resolution.concurrency' must be a whole number from 1 to 64"));
    assertTrue(error("resolution:\n  deadline: soon\n").contains("'resolution.deadline' must be a duration such as 500ms"));
    assertTrue(error("policy:\n  default: maybe\n").contains("'policy.default' must be 'allow' or 'deny'"));
    assertTrue(error("policy:\n  rules:\n    - allow: 'ci/{project}/*'\n").contains("'policy.rules[1].allow' uses the unknown placeholder {project}"));
    assertTrue(error("policy:\n  rules:\n    - allow: a\n      deny: b\n").contains("exactly one of them"));
    assertTrue(error("lookup_templates: ['/gitlab/{project_path}']\n").contains("must contain {name}"));
    assertTrue(error("secrets_dir: relative/path\n").contains("'secrets_dir' must be an absolute path"));
    assertTrue(error("[1, 2]").contains("must be a YAML mapping"));
    assertTrue(error("a: [").contains("is not valid YAML"));
  }

  @Test
  void explicitPathMustExistButTheDefaultMayBeAbsent() {
    DriverException e = assertThrows(DriverException.class,
        () -> DriverConfigLoader.load(Optional.of(dir.resolve("missing.yml").toString()), Map.of()));
    assertTrue(e.lines().get(0).contains("does not exist: fix --config or AWS_SECRETS_DRIVER_CONFIG"));
  }

  @Test
  void argumentWinsOverEnvironment() throws Exception {
    Path a = Files.writeString(dir.resolve("a.yml"), "masking:\n  min_length: 12\n");
    Path b = Files.writeString(dir.resolve("b.yml"), "masking:\n  min_length: 20\n");
    assertEquals(12, DriverConfigLoader.load(Optional.of(a.toString()), Map.of("AWS_SECRETS_DRIVER_CONFIG", b.toString())).maskMinLength());
    assertEquals(20, DriverConfigLoader.load(Optional.empty(), Map.of("AWS_SECRETS_DRIVER_CONFIG", b.toString())).maskMinLength());
  }
}
