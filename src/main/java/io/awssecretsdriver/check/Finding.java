package io.awssecretsdriver.check;

import io.awssecretsdriver.resolution.PlannedSecret;
import java.util.Optional;

/**
 * One line of check's report. {@code fetch} is set for a valid secret that {@code --resolve} may
 * fetch with the runner manager's identity.
 */
public record Finding(Verdict verdict, String text, Optional<PlannedSecret> fetch) {
  public static Finding of(Verdict verdict, String text) {
    return new Finding(verdict, text, Optional.empty());
  }

  public String line() {
    return String.format("%-4s %s", verdict, text);
  }
}
