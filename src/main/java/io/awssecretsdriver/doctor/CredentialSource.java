package io.awssecretsdriver.doctor;

/** The providers of the AWS SDK's default credentials chain, in the order the chain tries them. */
public enum CredentialSource {
  SYSTEM_PROPERTIES("Java system properties"),
  ENVIRONMENT("environment"),
  WEB_IDENTITY("web identity token file (IRSA)"),
  PROFILE("profile"),
  CONTAINER("container credentials (EKS Pod Identity / ECS)"),
  INSTANCE_PROFILE("EC2 instance profile via IMDS");

  private final String label;

  CredentialSource(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
