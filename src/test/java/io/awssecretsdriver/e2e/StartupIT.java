package io.awssecretsdriver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awssecretsdriver.testing.RunnerSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only prepare may load the AWS SDK: config, run and cleanup start without it. */
class StartupIT {
  @TempDir Path tmp;

  private String classesLoaded(String... args) throws Exception {
    Path log = tmp.resolve("classes-" + args[0] + ".txt");
    Files.writeString(tmp.resolve("response.json"), "{\"id\":1,\"variables\":[],\"secrets\":{}}");
    Files.writeString(tmp.resolve("script.sh"), "echo stage-ran\n");
    ProcessBuilder pb = new ProcessBuilder(command(args)).directory(tmp.toFile()).redirectErrorStream(true);
    pb.environment().putAll(Map.of("TMPDIR", tmp.toString(), "JOB_RESPONSE_FILE", tmp.resolve("response.json").toString(),
        "AWS_SECRETS_DRIVER_JAVA_OPTS", "-Xlog:class+load:file=" + log, "HOME", tmp.toString()));
    if (System.getProperty("driver.jar") != null) {
      pb.environment().put("AWS_SECRETS_DRIVER_JAR", System.getProperty("driver.jar"));
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return Files.readString(log);
  }

  private static List<String> command(String... args) {
    List<String> c = new java.util.ArrayList<>(List.of(RunnerSimulator.launcher().toString()));
    c.addAll(List.of(args));
    return c;
  }

  @Test
  void configRunAndCleanupNeverLoadTheAwsSdk() throws Exception {
    for (String[] stage : new String[][] {{"config"}, {"run", tmp.resolve("script.sh").toString(), "build_script"}, {"cleanup"}}) {
      String classes = classesLoaded(stage);
      assertTrue(classes.contains("io.awssecretsdriver.stage.Main"), "the log is real");
      assertFalse(classes.contains("software.amazon.awssdk"), stage[0] + " loaded AWS SDK classes");
    }
  }

  @Test
  void theClassDataSharingArchiveIsUsed() throws Exception {
    String classes = classesLoaded("config");
    assertTrue(classes.contains("io.awssecretsdriver.stage.Main source: shared objects file"),
        "the driver's own classes come from the AppCDS archive built with the jar");
  }

  @Test
  void anArchiveOfAnotherJvmIsIgnoredSilently() throws Exception {
    Path install = install();
    byte[] archive = Files.readAllBytes(install.resolve("aws-secrets-driver.jsa"));
    archive[0] ^= 0x5a; // the header's magic number: what another JVM's archive looks like to this one
    Files.write(install.resolve("aws-secrets-driver.jsa"), archive);
    assertStartsWithoutTheArchive(install);
  }

  @Test
  void anArchiveOfAnotherJarIsIgnoredSilently() throws Exception {
    Path install = install();
    Path jar = install.resolve("aws-secrets-driver.jar");
    Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
    assertStartsWithoutTheArchive(install);
  }

  /** The launcher, the jar and its archive, copied as an admin installs them. */
  private Path install() throws Exception {
    Path install = Files.createDirectories(tmp.resolve("install"));
    Path jar = Path.of(System.getProperty("driver.jar", "target/aws-secrets-driver.jar"));
    Files.copy(RunnerSimulator.launcher(), install.resolve("aws-secrets-driver"));
    Files.copy(jar, install.resolve("aws-secrets-driver.jar"));
    Files.copy(Path.of(jar.toString().replace(".jar", ".jsa")), install.resolve("aws-secrets-driver.jsa"));
    return install;
  }

  private void assertStartsWithoutTheArchive(Path install) throws Exception {
    Path log = tmp.resolve("without-archive.txt");
    ProcessBuilder pb = new ProcessBuilder(install.resolve("aws-secrets-driver").toString(), "config").directory(tmp.toFile());
    pb.environment().remove("AWS_SECRETS_DRIVER_JAR");
    pb.environment().put("AWS_SECRETS_DRIVER_JAVA_OPTS", "-Xlog:class+load:file=" + log);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    String err = new String(p.getErrorStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), err);
    assertEquals("", err, "nothing on stderr: the config stage's stderr is the job log");
    assertTrue(out.startsWith("{\"driver\":{\"name\":\"gitlab-aws-secrets-driver\""), out);
    assertFalse(Files.readString(log).contains("io.awssecretsdriver.stage.Main source: shared objects file"));
  }
}
