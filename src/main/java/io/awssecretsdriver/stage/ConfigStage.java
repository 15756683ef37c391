package io.awssecretsdriver.stage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.awssecretsdriver.config.DriverConfig;
import io.awssecretsdriver.job.JobEnvironment;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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

  /** Written with Jackson's streaming generator: an ObjectMapper would cost this stage a third of its time. */
  @Override
  public int run(List<String> args) {
    Path home = Path.of(env.get("HOME").orElse(System.getProperty("user.home")));
    StringWriter text = new StringWriter();
    try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
      json.writeStartObject();
      json.writeObjectFieldStart("driver");
      json.writeStringField("name", Version.NAME);
      json.writeStringField("version", Version.number());
      json.writeEndObject();
      json.writeStringField("hostname", hostname());
      json.writeStringField("builds_dir", config.buildsDir().orElse(home.resolve("builds")).toString());
      json.writeStringField("cache_dir", config.cacheDir().orElse(home.resolve("cache")).toString());
      json.writeBooleanField("builds_dir_is_shared", config.buildsDirIsShared());
      json.writeStringField("shell", "bash");
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    console.info(text.toString());
    return 0;
  }

  private String hostname() {
    // The kernel's name: no DNS lookup, which can stall a stage for seconds.
    try {
      return java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (IOException e) {
      return env.get("HOSTNAME").orElse("localhost");
    }
  }
}
