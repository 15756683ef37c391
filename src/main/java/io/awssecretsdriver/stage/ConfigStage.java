package io.awssecretsdriver.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.awssecretsdriver.config.DriverConfig;
import io.awssecretsdriver.job.JobEnvironment;
import java.nio.file.Path;
import java.util.List;

/** {@code config}: tells the runner who we are and where builds go, as JSON on stdout. */
final class ConfigStage implements Stage {
  private final JobEnvironment env;
  private final DriverConfig config;
  private final Console console;

  ConfigStage(StageContext context) {
    this.env = context.env();
    this.config = context.config();
    this.console = context.console();
  }

  @Override
  public int run(List<String> args) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode out = json.createObjectNode();
    out.putObject("driver").put("name", Version.NAME).put("version", Version.number());
    out.put("hostname", hostname());
    Path home = Path.of(env.get("HOME").orElse(System.getProperty("user.home")));
    out.put("builds_dir", config.buildsDir().orElse(home.resolve("builds")).toString());
    out.put("cache_dir", config.cacheDir().orElse(home.resolve("cache")).toString());
    out.put("builds_dir_is_shared", config.buildsDirIsShared());
    out.put("shell", "bash");
    console.info(out.toString());
    return 0;
  }

  private String hostname() {
    // The kernel's name: no DNS lookup, which can stall a stage for seconds.
    try {
      return java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (java.io.IOException e) {
      return env.get("HOSTNAME").orElse("localhost");
    }
  }
}
