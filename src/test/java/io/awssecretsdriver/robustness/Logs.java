package io.awssecretsdriver.robustness;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Assertions on what the driver printed, shared by the robustness suites. */
final class Logs {
  private Logs() {}

  /** No Java stack trace and no JVM crash report: every failure must be one clear message. */
  static void assertNoStackTrace(String text, Supplier<String> context) {
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
