package io.awssecretsdriver.doctor;

import java.util.Optional;

/**
 * One line of the doctor's report: the check's name, its verdict, what was found and, for a
 * failure, what to do. No field ever holds a key or a secret value.
 */
public record CheckResult(String name, Status status, String detail, Optional<String> fix) {

  public static CheckResult ok(String name, String detail) {
    return new CheckResult(name, Status.OK, detail, Optional.empty());
  }

  public static CheckResult skip(String name, String detail) {
    return new CheckResult(name, Status.SKIP, detail, Optional.empty());
  }

  public static CheckResult fail(String name, String detail, String fix) {
    return new CheckResult(name, Status.FAIL, detail, Optional.of(fix));
  }

  /** {@code OK   name: detail} or {@code FAIL name: detail. Fix: what to do}. */
  public String line() {
    String head = String.format("%-4s %s: ", status, name);
    return fix.map(f -> head + withoutFinalPeriod(detail) + ". Fix: " + f).orElse(head + detail);
  }

  private static String withoutFinalPeriod(String text) {
    return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
  }
}
