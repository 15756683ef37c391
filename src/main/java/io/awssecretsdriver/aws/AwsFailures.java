package io.awssecretsdriver.aws;

import io.awssecretsdriver.failure.FailureKind;
import io.awssecretsdriver.resolution.FetchFailure;
import io.awssecretsdriver.resolution.FetchRequest;
import io.awssecretsdriver.resolution.WebIdentity;
import java.util.Locale;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns SDK exceptions into one message each that says what went wrong and what to do, and
 * whether a retry can help (system failure) or the user must change something (build failure).
 * AWS's own messages name principals, actions and resources, never secret values.
 */
final class AwsFailures {
  static final String IMDS_HINT = "On EC2, attach an IAM role (instance profile) to the runner manager; on EKS, give the runner "
      + "manager's service account a role (IRSA or EKS Pod Identity), or raise the instance metadata hop limit to 2 so that "
      + "pods reach IMDS. A role on the job pods does not help: secrets are resolved on the manager.";

  private AwsFailures() {}

  static FetchFailure secretsManager(SdkException e, FetchRequest request, String secretId) {
    if (e instanceof AwsServiceException s) {
      String code = s.awsErrorDetails() == null ? "" : java.util.Objects.toString(s.awsErrorDetails().errorCode(), "");
      String aws = awsMessage(s);
      return switch (code) {
        case "ResourceNotFoundException" -> new FetchFailure(FailureKind.BUILD, "secret '" + secretId + "' (" + request.versionLabel()
            + ") was not found in " + request.region() + ": check the name, the version and the region (AWS_REGION or 'region'); "
            + "for a secret of another account use its full ARN." + aws, true);
        case "AccessDeniedException" -> new FetchFailure(FailureKind.BUILD, "access denied: " + request.identityLabel()
            + " may not call secretsmanager:GetSecretValue on '" + secretId + "': allow it in that identity's IAM policy (and, for "
            + "another account, in the secret's resource policy and its KMS key policy)." + aws, false);
        case "DecryptionFailure" -> new FetchFailure(FailureKind.BUILD, "KMS could not decrypt '" + secretId + "' for "
            + request.identityLabel() + ": allow kms:Decrypt on the secret's KMS key." + aws, false);
        case "InvalidRequestException", "InvalidParameterException", "ValidationException" -> new FetchFailure(FailureKind.BUILD,
            "Secrets Manager rejected the request for '" + secretId + "' (" + code + "): check the secret's state and the definition." + aws, false);
        default -> service(s, code, "Secrets Manager", request.identity().isEmpty(), aws);
      };
    }
    return client(e, "Secrets Manager", request.identity().isEmpty());
  }

  static FetchFailure sts(SdkException e, WebIdentity identity, String region) {
    String token = identity.token().variable();
    if (e instanceof AwsServiceException s) {
      String code = s.awsErrorDetails() == null ? "" : java.util.Objects.toString(s.awsErrorDetails().errorCode(), "");
      String aws = awsMessage(s);
      return switch (code) {
        case "InvalidIdentityToken" -> new FetchFailure(FailureKind.BUILD, "STS rejected the ID token " + token + " for role "
            + identity.roleArn() + ": check that the role's account has an IAM OIDC identity provider for your GitLab host and that the "
            + "token's aud matches it (aud: sts.amazonaws.com)." + aws, false);
        case "ExpiredTokenException" -> new FetchFailure(FailureKind.BUILD, "the ID token " + token + " has expired: retry the job; "
            + "if it keeps happening, the job waited longer than the token lives." + aws, false);
        case "AccessDenied", "AccessDeniedException" -> new FetchFailure(FailureKind.BUILD, "not authorized to assume role "
            + identity.roleArn() + " with the ID token " + token + " (sts:AssumeRoleWithWebIdentity): check the role's trust policy; "
            + "its conditions on the token's sub (project_path:GROUP/PROJECT:ref_type:branch:ref:BRANCH) and aud must match this job." + aws, false);
        case "RegionDisabledException" -> new FetchFailure(FailureKind.BUILD, "STS is not enabled in region " + region
            + " for the role's account: activate it in IAM account settings, or use another region." + aws, false);
        case "IDPCommunicationError" -> new FetchFailure(FailureKind.SYSTEM, "STS could not reach your GitLab instance to verify the "
            + "ID token " + token + ": check that GitLab's OIDC discovery endpoint is reachable from AWS." + aws, false);
        default -> service(s, code, "STS", false, aws);
      };
    }
    return client(e, "STS", false);
  }

  private static FetchFailure service(AwsServiceException s, String code, String service, boolean managerIdentity, String aws) {
    int status = s.statusCode();
    if (s.isThrottlingException() || status == 429) {
      return new FetchFailure(FailureKind.SYSTEM, service + " throttled the request (" + code + ") after all retries: the account's "
          + "request rate is exhausted; retry the job, or spread jobs out." + aws, false);
    }
    // Secrets Manager (JSON protocol) says InvalidSignatureException "Signature expired: ..."; STS (query) says SignatureDoesNotMatch.
    boolean signatureExpired = (code.equals("SignatureDoesNotMatch") || code.equals("InvalidSignatureException"))
        && aws.toLowerCase(Locale.ROOT).contains("expired");
    if (s.isClockSkewException() || code.contains("RequestExpired") || code.equals("RequestTimeTooSkewed") || signatureExpired) {
      return new FetchFailure(FailureKind.SYSTEM, service + " rejected the request's time stamp (" + code + "): the runner manager's "
          + "clock is off; synchronise it (NTP, chrony)." + aws, false);
    }
    if (status >= 500) {
      return new FetchFailure(FailureKind.SYSTEM, service + " failed with HTTP " + status + (code.isEmpty() ? "" : " (" + code + ")") + " after all retries: an AWS "
          + "fault; retry the job." + aws, false);
    }
    if (code.equals("UnrecognizedClientException") || code.equals("InvalidClientTokenId") || code.equals("ExpiredToken")
        || code.equals("ExpiredTokenException") || code.equals("InvalidSignatureException") || code.equals("SignatureDoesNotMatch")) {
      return new FetchFailure(managerIdentity ? FailureKind.SYSTEM : FailureKind.BUILD, service + " did not accept the credentials ("
          + code + ")" + (managerIdentity ? ": the runner manager's AWS credentials are invalid or expired; " + IMDS_HINT : ".") + aws, false);
    }
    return new FetchFailure(FailureKind.BUILD, service + " refused the request with HTTP " + status + " (" + code + ")." + aws, false);
  }

  private static FetchFailure client(SdkException e, String service, boolean managerIdentity) {
    String message = String.valueOf(e.getMessage());
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return new FetchFailure(FailureKind.SYSTEM, service + " did not answer in time (" + firstSentence(message) + "): check the "
          + "network path from the runner manager to AWS and retry the job.", false);
    }
    if (message.contains("Unable to load credentials")) {
      return new FetchFailure(FailureKind.SYSTEM, "the runner manager has no usable AWS credentials (the SDK tried the environment, "
          + "profiles, web identity, container credentials and EC2 IMDS). " + IMDS_HINT, false);
    }
    if (message.contains("Unable to load region")) {
      return new FetchFailure(FailureKind.BUILD, "no AWS region is known: set AWS_REGION in the job's variables or 'region' on the secret.", false);
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (chainHas(e, javax.net.ssl.SSLException.class)) {
      return new FetchFailure(FailureKind.SYSTEM, "the TLS handshake with " + service + " failed (" + root.getClass().getSimpleName() + ": "
          + firstSentence(String.valueOf(root.getMessage())) + "): if its certificate is not trusted (a proxy that inspects TLS, a private "
          + "endpoint), add the CA to the JVM's trust store, or name a trust store with "
          + "AWS_SECRETS_DRIVER_JAVA_OPTS=\"-Djavax.net.ssl.trustStore=PATH\" in the runner's environment.", false);
    }
    if (root.getClass().getName().contains(".jackson.")) {
      // A parser's message quotes the bytes it choked on, and a GetSecretValue response holds the secret.
      return new FetchFailure(FailureKind.SYSTEM, service + " sent a response that is not valid JSON (" + root.getClass().getSimpleName()
          + ") after all retries: check for a proxy or VPC endpoint rewriting the answer, and retry the job.", false);
    }
    return new FetchFailure(FailureKind.SYSTEM, "could not reach " + service + " (" + root.getClass().getSimpleName() + ": "
        + firstSentence(String.valueOf(root.getMessage())) + ") after all retries: check the network path from the runner manager to AWS "
        + "(proxy, DNS, VPC endpoint, AWS_ENDPOINT_URL_*) and retry the job.", false);
  }

  private static boolean chainHas(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** AWS's own explanation, which names the principal and the action, cut to a readable size. */
  private static String awsMessage(AwsServiceException s) {
    String m = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorMessage();
    if (m == null || m.isBlank()) {
      return "";
    }
    m = m.replaceAll("\\p{Cntrl}", " ").trim();
    return " AWS says: " + (m.length() > 300 ? m.substring(0, 300) + "..." : m);
  }

  private static String firstSentence(String m) {
    String s = m.replaceAll("\\p{Cntrl}", " ");
    int dot = s.indexOf(". ");
    s = dot > 0 ? s.substring(0, dot) : s;
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
