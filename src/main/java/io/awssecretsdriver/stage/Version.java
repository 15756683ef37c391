package io.awssecretsdriver.stage;

/** The driver's name and version, as the runner logs it and CloudTrail shows it. */
public final class Version {
  public static final String NAME = "gitlab-aws-secrets-driver";

  private Version() {}

  public static String number() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  public static String userAgent() {
    return NAME + "/" + number();
  }
}
