package io.awssecretsdriver.definition;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shapes AWS accepts for the names a definition holds; checked before any call is made. */
public final class AwsNames {
  private AwsNames() {}

  static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
  static final Pattern SECRET_ARN =
      Pattern.compile("arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]+):(\\d{12}):secret:([A-Za-z0-9/_+=.@!-]+)");
  static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[A-Za-z0-9_+=,.@/-]{1,512}");
  static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9/_+=.@!-]{1,512}");
  static final Pattern SESSION_NAME = Pattern.compile("[A-Za-z0-9_+=,.@-]{2,64}");
  static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
  static final Pattern VERSION_ID = Pattern.compile("[A-Za-z0-9-]{32,64}");
  static final Pattern VERSION_STAGE = Pattern.compile("[A-Za-z0-9_+=,.@-]{1,256}");

  public static boolean isArn(String secretId) {
    return secretId.startsWith("arn:");
  }

  /** The region named by a secret ARN, if the id is a well-formed ARN. */
  public static Optional<String> arnRegion(String secretId) {
    Matcher m = SECRET_ARN.matcher(secretId);
    return m.matches() ? Optional.of(m.group(2)) : Optional.empty();
  }

  public static boolean isRegion(String region) {
    return REGION.matcher(region).matches();
  }

  public static boolean isVariableName(String name) {
    return VARIABLE_NAME.matcher(name).matches();
  }

  /**
   * A valid STS session name made from any text: invalid characters become '-', cut to 64, and a
   * name shorter than 2 is padded, so a default never fails the job.
   */
  public static String sessionNameFrom(String text) {
    String cleaned = text.replaceAll("[^A-Za-z0-9_+=,.@-]", "-");
    if (cleaned.length() > 64) {
      cleaned = cleaned.substring(0, 64);
    }
    while (cleaned.length() < 2) {
      cleaned = cleaned + "-";
    }
    return cleaned;
  }
}
