package io.awssecretsdriver.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Script lines that check a secret inside the job without printing or spelling out its value: they
 * compare SHA-256 digests and print a marker the test looks for, quoted so that the runner's echo of
 * the command line does not show the marker itself.
 */
public final class Checks {
  private Checks() {}

  public static String sha256(byte[] value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sha256(String value) {
    return sha256(value.getBytes(StandardCharsets.UTF_8));
  }

  /** Prints {@code NAME=value-ok} when the variable holds exactly this value. */
  public static String valueIs(String variable, String value) {
    return "test \"$(printf '%s' \"$" + variable + "\" | sha256sum | cut -c1-64)\" = " + sha256(value) + " && echo " + variable + "=value\"-ok\"";
  }

  /** Prints {@code NAME=file-ok} when the variable names a 0600 file in a 0700 directory holding exactly these bytes. */
  public static String fileHolds(String variable, byte[] content) {
    return "test -f \"$" + variable + "\" && test \"$(stat -c %a \"$" + variable + "\")\" = 600 && test \"$(stat -c %a \"$(dirname \"$"
        + variable + "\")\")\" = 700 && test \"$(sha256sum < \"$" + variable + "\" | cut -c1-64)\" = " + sha256(content) + " && echo "
        + variable + "=file\"-ok\"";
  }

  public static String fileHolds(String variable, String content) {
    return fileHolds(variable, content.getBytes(StandardCharsets.UTF_8));
  }
}
