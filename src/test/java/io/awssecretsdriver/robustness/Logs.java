package io.awssecretsdriver.robustness;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Assertions on what the driver printed, shared by the robustness suites. */
final class Logs {
  /**
   * HotSpot's own report of a SIGTERM that lands in a JVM's first milliseconds, after the JDK's
   * signal handlers are set up but before System.initPhase2: a cancel that reached a stage which had
   * only just started. No code of the driver has run yet and no flag silences it (-Xrs would also
   * take SIGTERM's shutdown hooks away), so it is the one trace a cancelled job's log may show.
   */
  private static final Pattern SIGTERM_DURING_VM_START =
      Pattern.compile("Error occurred during initialization of VM\njava\\.lang\\.InternalError: Bad level: \\d+\n(\tat [^\n]*\n?)*");

  private Logs() {}

  /** No Java stack trace and no JVM crash report: every failure must be one clear message. */
  static void assertNoStackTrace(String log, Supplier<String> context) {
    String text = SIGTERM_DURING_VM_START.matcher(log).replaceAll("");
    for (String marker : new String[] {"\tat ", "Exception in thread", "Caused by: ", "\n    at ", "hs_err_pid"}) {
      assertFalse(text.contains(marker), () -> "stack trace marker '" + marker.replace("\t", "\\t").replace("\n", "\\n") + "' in\n" + context.get());
    }
  }

  /** Files below dir (dir itself excluded); 0 when dir does not exist. */
  static long filesBelow(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.equals(dir)).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
