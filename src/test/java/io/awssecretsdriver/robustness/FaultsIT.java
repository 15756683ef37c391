package io.awssecretsdriver.robustness;

import static io.awssecretsdriver.testing.Checks.valueIs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import io.awssecretsdriver.testing.DriverTestBase;
import io.awssecretsdriver.testing.FakeAws;
import io.awssecretsdriver.testing.Job;
import io.awssecretsdriver.testing.JobRun;
import io.awssecretsdriver.testing.JobRun.Outcome;
import io.awssecretsdriver.testing.RunnerSimulator;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * AWS misbehaving, through the real SDK against {@link FakeAws}: every fault ends as a success after
 * a retry, or as one clear failure of the right class (system failure: the runner retries; build
 * failure: the user must change something), naming the CI variable and the cause, in bounded time,
 * without a stack trace and without a secret file left behind.
 */
class FaultsIT extends DriverTestBase {
  static final String SECRET = "app-secrets/database";
  static final String VARIABLE = "DATABASE_PASSWORD";
  static final String PASSWORD = "Db-Passw0rd-2026!";
  static final String DB = "{\"password\":\"" + PASSWORD + "\",\"username\":\"app\"}";
  static final String ROLE = "arn:aws:iam::123456789012:role/gitlab-secrets-role";
  static final String JSON = "application/x-amz-json-1.1";
  /** Short limits so that a persistent fault costs seconds, not minutes. */
  static final String FAST = "resolution:\n  max_attempts: 2\n  api_call_attempt_timeout: 2s\n  api_call_timeout: 5s\n  deadline: 8s\n";
  /** Room for the SDK to retry a short burst. */
  static final String RETRYING = "resolution:\n  max_attempts: 4\n  api_call_attempt_timeout: 2s\n  api_call_timeout: 20s\n  deadline: 30s\n";

  private static final Tally TALLY = new Tally();

  @AfterAll
  static void summary() {
    System.out.println("faults: " + TALLY.sum("fault.") + " injected (" + TALLY.group("fault.") + "), outcomes: success "
        + TALLY.get("outcome.SUCCESS") + ", build " + TALLY.get("outcome.BUILD_FAILURE") + ", system " + TALLY.get("outcome.SYSTEM_FAILURE")
        + (TALLY.sum("outcome.") - TALLY.get("outcome.SUCCESS") - TALLY.get("outcome.BUILD_FAILURE") - TALLY.get("outcome.SYSTEM_FAILURE") > 0
            ? ", other " + (TALLY.sum("outcome.") - TALLY.get("outcome.SUCCESS") - TALLY.get("outcome.BUILD_FAILURE") - TALLY.get("outcome.SYSTEM_FAILURE")) : "")
        + ", leaked files " + TALLY.get("leaked"));
  }

  private static Job managerJob() {
    return Job.fixture("iam-role").script(valueIs(VARIABLE, PASSWORD));
  }

  private static Job oidcJob() {
    return Job.fixture("oidc").script(valueIs(VARIABLE, PASSWORD));
  }

  private static String jwt(Job job) {
    for (var v : job.payload().path("variables")) {
      if (v.path("key").asText().equals("AWS_ID_TOKEN")) {
        return v.path("value").asText();
      }
    }
    throw new IllegalStateException("no AWS_ID_TOKEN in the fixture");
  }

  /** Runs the job, records the fault and the outcome, and checks what every fault must leave: a clear log, no trace, no file. */
  private JobRun expect(String fault, Job job, Outcome outcome, Duration limit, String... causes) {
    return expect(fault, runner, job, outcome, limit, causes);
  }

  private JobRun expect(String fault, RunnerSimulator sim, Job job, Outcome outcome, Duration limit, String... causes) {
    long t0 = System.nanoTime();
    JobRun run = sim.run(job);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    TALLY.add("fault." + fault);
    TALLY.add("outcome." + run.outcome());
    TALLY.add("leaked", Logs.filesBelow(secretsDir));
    if (Boolean.getBoolean("robust.print")) {
      System.out.println("=== " + fault + " " + run.outcome() + " in " + took.toMillis() + " ms\n" + run.log());
    }
    assertEquals(outcome, run.outcome(), run::toString);
    assertTrue(took.compareTo(limit) <= 0, () -> "took " + took.toMillis() + " ms, more than " + limit.toMillis() + " ms\n" + run);
    if (outcome == Outcome.SUCCESS) {
      assertTrue(run.log().contains(VARIABLE + "=value-ok"), run::toString);
    } else {
      String log = run.log();
      assertTrue(log.contains("Secret \"" + VARIABLE + "\""), () -> "the log does not name the CI variable\n" + run);
      for (String cause : causes) {
        assertTrue(log.toLowerCase(Locale.ROOT).contains(cause.toLowerCase(Locale.ROOT)), () -> "the log does not say '" + cause + "'\n" + run);
      }
      assertEquals(outcome == Outcome.SYSTEM_FAILURE ? 3 : 1, run.attempts(), () -> "prepare attempts\n" + run);
      assertTrue(!log.contains("(null)"), () -> "the log shows a missing value as (null)\n" + run);
    }
    assertTrue(!run.log().contains(PASSWORD), run::toString);
    Logs.assertNoStackTrace(run.log() + run.runnerLog(), run::toString);
    assertNothingLeft();
    return run;
  }

  // ---- throttling ----

  @Test
  void throttlingBurstIsRetriedAndTheJobSucceeds() {
    writeConfig(RETRYING);
    aws.secretFlaky(SECRET, 2, 400, "ThrottlingException", DB);
    expect("throttling", managerJob(), Outcome.SUCCESS, Duration.ofSeconds(40));
    assertEquals(3, aws.getSecretValueCalls(), "two throttled calls, then the answer");
  }

  @Test
  void persistentThrottlingIsASystemFailureAfterBoundedRetries() {
    writeConfig(FAST);
    aws.secretError(SECRET, 400, "ThrottlingException", "Rate exceeded");
    expect("throttling", managerJob(), Outcome.SYSTEM_FAILURE, Duration.ofSeconds(60), "throttled", "ThrottlingException");
    assertEquals(3 * 2, aws.getSecretValueCalls(), "3 prepare attempts x max_attempts 2");
  }

  @Test
  void persistentHttp429IsASystemFailure() {
    writeConfig(FAST);
    aws.secretError(SECRET, 429, "TooManyRequestsException", "Too many requests");
    expect("throttling", managerJob(), Outcome.SYSTEM_FAILURE, Duration.ofSeconds(60), "throttled");
  }

  // ---- AWS 5xx ----

  @Test
  void transientInternalServiceErrorIsRetriedAndTheJobSucceeds() {
    writeConfig(RETRYING);
    aws.secretFlaky(SECRET, 2, 500, "InternalServiceError", DB);
    expect("5xx", managerJob(), Outcome.SUCCESS, Duration.ofSeconds(40));
  }

  @Test
  void persistentInternalServiceErrorIsASystemFailure() {
    writeConfig(FAST);
    aws.secretError(SECRET, 500, "InternalServiceError", "An internal error occurred");
    expect("5xx", managerJob(), Outcome.SYSTEM_FAILURE, Duration.ofSeconds(60), "HTTP 500", "InternalServiceError");
  }

  @Test
  void transientServiceUnavailableIsRetriedAndTheJobSucceeds() {
    writeConfig(RETRYING);
    aws.secretFlaky(SECRET, 1, 503, "ServiceUnavailable", DB);
    expect("5xx", managerJob(), Outcome.SUCCESS, Duration.ofSeconds(40));
  }

  @Test
  void persistentServiceUnavailableIsASystemFailure() {
    writeConfig(FAST);
    aws.secretError(SECRET, 503, "ServiceUnavailable", "Service unavailable");
    expect("5xx", managerJob(), Outcome.SYSTEM_FAILURE, Duration.ofSeconds(60), "HTTP 503");
  }

  // ---- broken connections and responses ----

  @Test
  void connectionResetOnceIsRetriedAndTheJobSucceeds() {
    writeConfig(RETRYING);
    new ExtraStubs(aws).faultThenValue(SECRET, Fault.CONNECTION_RESET_BY_PEER, 1, DB);
    expect("reset", managerJob(), Outcome.SUCCESS, Duration.ofSeconds(40));
  }

  @Test
  void persistentConnectionResetIsASystemFailure() {
    writeConfig(FAST);
    aws.secretFault(SECRET, Fault.CONNECTION_RESET_BY_PEER);
    expect("reset", managerJob(), Outcome.SYSTEM_FAILURE, Duration.ofSeconds(60), "could not reach Secrets Manager");
  }

  @Test
  void emptyResponseIsASystemFailure() {
    writeConfig(FAST);
    aws.secretFault(SECRET, Fault.EMPTY_RESPONSE);
    expect("malformed", managerJob(), Outcome.SYSTEM_FAILURE, Duration.ofSeconds(60), "could not reach Secrets Manager");
  }

  @Test
  void randomBytesThenCloseIsASystemFailure() {
    writeConfig(FAST);
    aws.secretFault(SECRET, Fault.RANDOM_DATA_THEN_CLOSE);
    expect("malformed", managerJob(), Outcome.SYSTEM_FAILURE, Duration.ofSeconds(60), "could not reach Secrets Manager");
  }

  @Test
  void malformedChunkIsASystemFailure() {
    writeConfig(FAST);
    aws.secretFault(SECRET, Fault.MALFORMED_RESPONSE_CHUNK);
    expect("malformed", managerJob(), Outcome.SYSTEM_FAILURE, Duration.ofSeconds(60), "Secrets Manager");
  }

  @Test
  void truncatedJsonBodyIsASystemFailure() {
    writeConfig(FAST);
    new ExtraStubs(aws).always(SECRET, 200, JSON, "{\"ARN\":\"arn:aws:secretsmanager:us-east-1:123456789012:secret:x\",\"SecretStr");
    expect("malformed", managerJob(), Outcome.SYSTEM_FAILURE, Duration.ofSeconds(60), "Secrets Manager");
  }

  @Test
  void htmlErrorPageFromAProxyIsASystemFailure() {
    writeConfig(FAST);
    new ExtraStubs(aws).always(SECRET, 502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>");
    expect("malformed", managerJob(), Outcome.SYSTEM_FAILURE, Duration.ofSeconds(60), "HTTP 502");
  }

  /** A broken body must not be echoed: the parser's message quotes the bytes it choked on, and those are the secret's. */
  @Test
  void unparsableBodyIsNotEchoedIntoTheLog() {
    writeConfig(FAST);
    String marker = "UnquotedS3cretToken4711";
    new ExtraStubs(aws).always(SECRET, 200, JSON, "{\"ARN\":\"" + FakeAws.arn(SECRET) + "\",\"SecretString\":" + marker + "}");
    JobRun run = expect("malformed", managerJob(), Outcome.SYSTEM_FAILURE, Duration.ofSeconds(60), "Secrets Manager");
    assertTrue(!run.log().contains(marker), () -> "the response body reached the job log\n" + run);
  }

  @Test
  void garbledBodyOnceIsRetriedOrFailsCleanly() {
    writeConfig(RETRYING);
    new ExtraStubs(aws).bodyThenValue(SECRET, 1, JSON, "{{{ not json", DB);
    // A 200 with a body that is not JSON: the SDK may retry it (success) or not (system failure); both are clean.
    JobRun run = runner.run(managerJob());
    TALLY.add("fault.malformed");
    TALLY.add("outcome." + run.outcome());
    TALLY.add("leaked", Logs.filesBelow(secretsDir));
    assertTrue(run.outcome() == Outcome.SUCCESS || run.outcome() == Outcome.SYSTEM_FAILURE, run::toString);
    Logs.assertNoStackTrace(run.log() + run.runnerLog(), run::toString);
    assertNothingLeft();
  }

  // ---- hangs ----

  @Test
  void answerSlowerThanTheCallTimeoutIsASystemFailureInBoundedTime() {
    writeConfig("resolution:\n  max_attempts: 2\n  api_call_attempt_timeout: 1s\n  api_call_timeout: 2s\n  deadline: 10s\n");
    aws.secretHangs(SECRET, Duration.ofSeconds(30));
    expect("hang", managerJob(), Outcome.SYSTEM_FAILURE, Duration.ofSeconds(45), "did not answer in time");
  }

  @Test
  void answerSlowerThanTheResolutionDeadlineIsASystemFailureInBoundedTime() {
    writeConfig("resolution:\n  max_attempts: 2\n  api_call_attempt_timeout: 20s\n  api_call_timeout: 40s\n  deadline: 2s\n");
    aws.secretHangs(SECRET, Duration.ofSeconds(30));
    expect("hang", managerJob(), Outcome.SYSTEM_FAILURE, Duration.ofSeconds(45), "resolution deadline");
  }

  // ---- STS ----

  @Test
  void slowStsWithinTheTimeoutsStillSucceeds() {
    writeConfig("resolution:\n  max_attempts: 2\n  api_call_attempt_timeout: 4s\n  api_call_timeout: 8s\n  deadline: 10s\n");
    Job job = oidcJob();
    aws.latency(Duration.ofMillis(1500)).role(ROLE, jwt(job)).latency(Duration.ZERO).secret(SECRET, DB);
    expect("slow-sts", job, Outcome.SUCCESS, Duration.ofSeconds(40));
    assertEquals(1, aws.stsCalls());
  }

  @Test
  void stsSlowerThanTheCallTimeoutIsASystemFailure() {
    writeConfig("resolution:\n  max_attempts: 2\n  api_call_attempt_timeout: 1s\n  api_call_timeout: 2s\n  deadline: 10s\n");
    Job job = oidcJob();
    aws.latency(Duration.ofSeconds(20)).role(ROLE, jwt(job)).latency(Duration.ZERO).secret(SECRET, DB);
    expect("slow-sts", job, Outcome.SYSTEM_FAILURE, Duration.ofSeconds(45), "STS did not answer in time");
    assertEquals(0, aws.getSecretValueCalls(), "no GetSecretValue without credentials");
  }

  @Test
  void persistentSts5xxIsASystemFailure() {
    writeConfig(FAST);
    aws.stsError(ROLE, 503, "ServiceUnavailable", "STS is unavailable");
    expect("5xx", oidcJob(), Outcome.SYSTEM_FAILURE, Duration.ofSeconds(60), "STS", "HTTP 503");
  }

  @Test
  void idpCommunicationErrorIsASystemFailure() {
    writeConfig(FAST);
    aws.stsError(ROLE, 400, "IDPCommunicationError", "Couldn't retrieve verification key from your identity provider");
    expect("sts", oidcJob(), Outcome.SYSTEM_FAILURE, Duration.ofSeconds(60), "could not reach your GitLab instance", "AWS_ID_TOKEN");
  }

  @Test
  void invalidIdTokenIsABuildFailureWithoutRetry() {
    writeConfig(FAST);
    aws.role(ROLE, "a-token-that-is-not-this-jobs").secret(SECRET, DB);
    expect("token", oidcJob(), Outcome.BUILD_FAILURE, Duration.ofSeconds(30), "STS rejected the ID token AWS_ID_TOKEN", ROLE);
    assertEquals(1, aws.stsCalls(), "InvalidIdentityToken is not retried");
    assertEquals(0, aws.getSecretValueCalls());
  }

  @Test
  void expiredIdTokenIsABuildFailureWithoutRetry() {
    writeConfig(FAST);
    aws.stsError(ROLE, 400, "ExpiredTokenException", "Token expired: current date/time 1767225600 must be before the expiration date/time 1767222000");
    expect("token", oidcJob(), Outcome.BUILD_FAILURE, Duration.ofSeconds(30), "AWS_ID_TOKEN has expired");
    assertEquals(1, aws.stsCalls(), "ExpiredTokenException is not retried");
  }

  @Test
  void roleTrustPolicyRefusalIsABuildFailure() {
    writeConfig(FAST);
    aws.stsError(ROLE, 403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
    expect("denied", oidcJob(), Outcome.BUILD_FAILURE, Duration.ofSeconds(30), "not authorized to assume role", "trust policy");
    assertEquals(1, aws.stsCalls());
  }

  // ---- IMDS ----

  @Test
  void imdsThatDoesNotAnswerIsASystemFailureWithTheEksHint() {
    writeConfig("resolution:\n  max_attempts: 2\n  api_call_attempt_timeout: 5s\n  api_call_timeout: 20s\n  deadline: 25s\n");
    aws.imdsHangs(Duration.ofSeconds(60)).secret(SECRET, DB);
    RunnerSimulator onEks = new RunnerSimulator(work.resolve("runner-imds"), aws.imdsEnv()).config(driverConfig);
    expect("imds", onEks, managerJob(), Outcome.SYSTEM_FAILURE, Duration.ofSeconds(100), "no usable AWS credentials", "hop limit");
    assertEquals(0, aws.getSecretValueCalls(), "no unsigned GetSecretValue");
  }

  // ---- refusals that no retry can fix ----

  @Test
  void accessDeniedIsABuildFailureAfterExactlyOneCall() {
    writeConfig(RETRYING);
    aws.secretError(SECRET, 400, "AccessDeniedException",
        "User: arn:aws:iam::123456789012:user/manager is not authorized to perform: secretsmanager:GetSecretValue");
    expect("denied", managerJob(), Outcome.BUILD_FAILURE, Duration.ofSeconds(30), "access denied", "secretsmanager:GetSecretValue");
    assertEquals(1, aws.getSecretValueCalls(), "AccessDeniedException must not be retried");
  }

  @Test
  void missingSecretIsABuildFailureAfterExactlyOneCall() {
    writeConfig(RETRYING);
    expect("not-found", managerJob(), Outcome.BUILD_FAILURE, Duration.ofSeconds(30), "was not found in us-east-1", SECRET);
    assertEquals(1, aws.getSecretValueCalls(), "ResourceNotFoundException must not be retried");
  }

  @Test
  void kmsDecryptionFailureIsABuildFailureAfterExactlyOneCall() {
    writeConfig(RETRYING);
    aws.secretError(SECRET, 400, "DecryptionFailure", "Access to KMS is not allowed");
    expect("denied", managerJob(), Outcome.BUILD_FAILURE, Duration.ofSeconds(30), "kms:Decrypt");
    assertEquals(1, aws.getSecretValueCalls());
  }

  // ---- clock skew ----

  /**
   * A manager whose clock is 20 minutes behind: AWS answers with its own time in the Date header, as it
   * does, so the SDK can tell a skewed clock from bad credentials.
   */
  @Test
  void signatureExpiredByClockSkewIsASystemFailure() {
    writeConfig(FAST);
    new ExtraStubs(aws).skewed(SECRET, 400, "InvalidSignatureException",
        "Signature expired: 20260101T000000Z is now earlier than 20260101T001500Z (20260101T002000Z - 5 min.)", Duration.ofMinutes(20));
    expect("clock-skew", managerJob(), Outcome.SYSTEM_FAILURE, Duration.ofSeconds(60), "clock");
  }

  /** The SDK learns the offset from AWS's Date header and signs the retry with corrected time. */
  @Test
  void clockSkewOnceIsCorrectedByTheSdkAndTheJobSucceeds() {
    writeConfig(RETRYING);
    new ExtraStubs(aws).skewedThenValue(SECRET, "InvalidSignatureException",
        "Signature expired: 20260101T000000Z is now earlier than 20260101T001500Z (20260101T002000Z - 5 min.)", Duration.ofMinutes(20), DB);
    expect("clock-skew", managerJob(), Outcome.SUCCESS, Duration.ofSeconds(40));
  }

  @Test
  void signatureExpiredByClockSkewWithJobCredentialsIsASystemFailure() {
    writeConfig(FAST);
    Job job = oidcJob();
    aws.role(ROLE, jwt(job));
    new ExtraStubs(aws).skewed(SECRET, 400, "InvalidSignatureException",
        "Signature expired: 20260101T000000Z is now earlier than 20260101T001500Z (20260101T002000Z - 5 min.)", Duration.ofMinutes(20));
    expect("clock-skew", job, Outcome.SYSTEM_FAILURE, Duration.ofSeconds(60), "clock");
  }

  @Test
  void requestTimeTooSkewedIsASystemFailure() {
    writeConfig(FAST);
    new ExtraStubs(aws).skewed(SECRET, 403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.",
        Duration.ofMinutes(-20));
    expect("clock-skew", managerJob(), Outcome.SYSTEM_FAILURE, Duration.ofSeconds(60), "clock");
  }
}
