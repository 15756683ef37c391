package io.awssecretsdriver.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Secrets Manager, STS and EC2 IMDS at the HTTP level (WireMock on 127.0.0.1), reached by the real
 * SDK through the standard endpoint variables of {@link #managerEnv()}. Secrets live in account
 * {@value #ACCOUNT}, region us-east-1 unless an ARN says otherwise.
 */
public final class FakeAws implements AutoCloseable {
  public static final String ACCOUNT = "123456789012";
  public static final String GSV = "secretsmanager.GetSecretValue";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WireMockServer server;
  private Duration latency = Duration.ZERO;

  public FakeAws() {
    // Enough threads that 50 concurrent calls with latency are answered in parallel, as AWS would.
    this(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(80).jettyAcceptors(2));
  }

  /** Answers over TLS too ({@link #httpsEndpoint()}), with the key and certificate of a PKCS#12 store. */
  public FakeAws(Path keyStore, String password) {
    this(options().bindAddress("127.0.0.1").dynamicPort().dynamicHttpsPort().keystoreType("PKCS12")
        .keystorePath(keyStore.toString()).keystorePassword(password).keyManagerPassword(password));
  }

  private FakeAws(WireMockConfiguration options) {
    server = new WireMockServer(options);
    server.start();
    notFoundByDefault();
  }

  public String httpsEndpoint() {
    return "https://127.0.0.1:" + wm().httpsPort();
  }

  private WireMockServer wm() {
    return server;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + wm().port();
  }

  /** Adds latency to every answer from now on, as a distant AWS region would. */
  public FakeAws latency(Duration perCall) {
    this.latency = perCall;
    return this;
  }

  /**
   * The runner manager's environment pointing the SDK here: static keys as the manager's own
   * identity, and no IMDS or profile look-ups.
   */
  public Map<String, String> managerEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    // The service-specific settings, as an admin would point the driver at a VPC endpoint.
    env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", endpoint());
    env.put("AWS_ENDPOINT_URL_STS", endpoint());
    env.put("AWS_ACCESS_KEY_ID", "AKIDMANAGER");
    env.put("AWS_SECRET_ACCESS_KEY", "manager-secret-key");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
    env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
    return env;
  }

  /** The manager's environment with no credentials at all but IMDS here. */
  public Map<String, String> imdsEnv() {
    Map<String, String> env = new LinkedHashMap<>(managerEnv());
    env.remove("AWS_ACCESS_KEY_ID");
    env.remove("AWS_SECRET_ACCESS_KEY");
    env.remove("AWS_EC2_METADATA_DISABLED");
    env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint());
    return env;
  }

  public static String arn(String name) {
    return arn("us-east-1", ACCOUNT, name);
  }

  public static String arn(String region, String account, String name) {
    return "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + name + "-AbCdEf";
  }

  /** A secret reachable by its name and by its ARN, with AWSCURRENT as its version. */
  public FakeAws secret(String name, String value) {
    return secretVersion(name, Optional.empty(), Optional.empty(), value);
  }

  public FakeAws secretVersion(String name, Optional<String> versionId, Optional<String> stage, String value) {
    return stub(name, versionId, stage, body(name, versionId.orElse("v-current-" + name.hashCode()), value, null));
  }

  public FakeAws binarySecret(String name, byte[] data) {
    return stub(name, Optional.empty(), Optional.empty(), body(name, "v-bin", null, data));
  }

  /** A secret found under an ARN of another account or region only. */
  public FakeAws secretAtArn(String arn, String value) {
    MappingBuilder m = gsv().withRequestBody(matchingJsonPath("$.SecretId", equalTo(arn)));
    wm().stubFor(m.atPriority(5).willReturn(ok(body(arn.substring(arn.indexOf(":secret:") + 8), "v1", value, null, arn))));
    return this;
  }

  private FakeAws stub(String name, Optional<String> versionId, Optional<String> stage, ObjectNode body) {
    for (String id : new String[] {name, arn(name)}) {
      MappingBuilder m = gsv().withRequestBody(matchingJsonPath("$.SecretId", equalTo(id)));
      versionId.ifPresent(v -> m.withRequestBody(matchingJsonPath("$.VersionId", equalTo(v))));
      stage.ifPresent(s -> m.withRequestBody(matchingJsonPath("$.VersionStage", equalTo(s))));
      if (versionId.isEmpty() && stage.isEmpty()) {
        m.withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.notContaining("\"VersionId\""));
      }
      wm().stubFor(m.atPriority(versionId.isPresent() || stage.isPresent() ? 4 : 5).willReturn(ok(body)));
    }
    return this;
  }

  /** An AWS error for GetSecretValue of this name, e.g. AccessDeniedException with HTTP 400. */
  public FakeAws secretError(String name, int status, String type, String message) {
    wm().stubFor(gsv().withRequestBody(matchingJsonPath("$.SecretId", equalTo(name))).atPriority(3)
        .willReturn(delayed(aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1")
            .withBody(error(type, message)))));
    return this;
  }

  /** A network fault (reset, empty response, garbage) for GetSecretValue of this name. */
  public FakeAws secretFault(String name, Fault fault) {
    wm().stubFor(gsv().withRequestBody(matchingJsonPath("$.SecretId", equalTo(name))).atPriority(3)
        .willReturn(aResponse().withFault(fault)));
    return this;
  }

  /** Answers this name only after the given delay (a hanging AWS). */
  public FakeAws secretHangs(String name, Duration delay) {
    wm().stubFor(gsv().withRequestBody(matchingJsonPath("$.SecretId", equalTo(name))).atPriority(3)
        .willReturn(aResponse().withFixedDelay((int) delay.toMillis()).withStatus(500)));
    return this;
  }

  /** Fails the first {@code failures} calls for this name with the given status and type, then answers. */
  public FakeAws secretFlaky(String name, int failures, int status, String type, String value) {
    String scenario = "flaky-" + name;
    for (int i = 0; i < failures; i++) {
      wm().stubFor(gsv().withRequestBody(matchingJsonPath("$.SecretId", equalTo(name))).atPriority(2)
          .inScenario(scenario).whenScenarioStateIs(i == 0 ? Scenario.STARTED : "failed-" + i).willSetStateTo("failed-" + (i + 1))
          .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(error(type, "injected"))));
    }
    wm().stubFor(gsv().withRequestBody(matchingJsonPath("$.SecretId", equalTo(name))).atPriority(2)
        .inScenario(scenario).whenScenarioStateIs("failed-" + failures)
        .willReturn(ok(body(name, "v1", value, null))));
    return this;
  }

  /** A role whose trust policy accepts exactly this JWT. Other tokens get InvalidIdentityToken. */
  public FakeAws role(String roleArn, String acceptedJwt) {
    wm().stubFor(sts().withRequestBody(containing("RoleArn=" + form(roleArn))).atPriority(5)
        .willReturn(delayed(aResponse().withStatus(400).withHeader("Content-Type", "text/xml")
            .withBody(stsError("InvalidIdentityToken", "Incorrect token audience")))));
    wm().stubFor(sts().withRequestBody(containing("RoleArn=" + form(roleArn)))
        .withRequestBody(containing("WebIdentityToken=" + form(acceptedJwt))).atPriority(4)
        .willReturn(delayed(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(stsCredentials(roleArn)))));
    return this;
  }

  public FakeAws stsError(String roleArn, int status, String code, String message) {
    wm().stubFor(sts().withRequestBody(containing("RoleArn=" + form(roleArn))).atPriority(2)
        .willReturn(delayed(aResponse().withStatus(status).withHeader("Content-Type", "text/xml").withBody(stsError(code, message)))));
    return this;
  }

  /** STS GetCallerIdentity (query protocol) answering as this identity, with a Date header from the local clock. */
  public FakeAws callerIdentity(String account, String arn) {
    return callerIdentity(account, arn, Duration.ZERO);
  }

  /** GetCallerIdentity whose Date header runs {@code awsClockAhead} ahead of the local clock (negative: behind). */
  public FakeAws callerIdentity(String account, String arn, Duration awsClockAhead) {
    String date = "{{now offset='" + awsClockAhead.toSeconds() + " seconds' format='EEE, dd MMM yyyy HH:mm:ss zzz' timezone='GMT'}}";
    wm().stubFor(post(anyUrl()).withRequestBody(containing("Action=GetCallerIdentity")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "text/xml").withHeader("Date", date).withTransformers("response-template")
        .withBody("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
            + "<Arn>" + arn + "</Arn><UserId>AIDAFAKEUSERID</UserId><Account>" + account + "</Account></GetCallerIdentityResult>"
            + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>")));
    return this;
  }

  /** EC2 instance metadata (IMDSv2) handing out the manager's role credentials. */
  public FakeAws imds(String roleName) {
    wm().stubFor(put(urlEqualTo("/latest/api/token")).willReturn(aResponse().withStatus(200).withBody("imds-session-token")));
    wm().stubFor(get(urlEqualTo("/latest/meta-data/iam/security-credentials/")).willReturn(aResponse().withStatus(200).withBody(roleName)));
    wm().stubFor(get(urlEqualTo("/latest/meta-data/iam/security-credentials/" + roleName)).willReturn(aResponse().withStatus(200)
        .withBody("{\"Code\":\"Success\",\"LastUpdated\":\"2026-01-01T00:00:00Z\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"ASIAIMDS\","
            + "\"SecretAccessKey\":\"imds-secret\",\"Token\":\"imds-token\",\"Expiration\":\"2099-01-01T00:00:00Z\"}")));
    return this;
  }

  /** The manager's environment with container credentials (EKS Pod Identity, ECS) served here. */
  public Map<String, String> containerCredentialsEnv(String authorizationToken) {
    Map<String, String> env = new LinkedHashMap<>(managerEnv());
    env.remove("AWS_ACCESS_KEY_ID");
    env.remove("AWS_SECRET_ACCESS_KEY");
    env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint() + "/v1/credentials");
    env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", authorizationToken);
    wm().stubFor(get(urlEqualTo("/v1/credentials")).withHeader("Authorization", equalTo(authorizationToken))
        .willReturn(aResponse().withStatus(200).withBody("{\"AccessKeyId\":\"ASIAPOD\",\"SecretAccessKey\":\"pod-secret\","
            + "\"Token\":\"pod-token\",\"Expiration\":\"2099-01-01T00:00:00Z\"}")));
    return env;
  }

  /** The manager's environment with an IRSA web identity token file: the SDK assumes the role itself. */
  public Map<String, String> webIdentityEnv(java.nio.file.Path tokenFile, String roleArn) {
    Map<String, String> env = new LinkedHashMap<>(managerEnv());
    env.remove("AWS_ACCESS_KEY_ID");
    env.remove("AWS_SECRET_ACCESS_KEY");
    env.put("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile.toString());
    env.put("AWS_ROLE_ARN", roleArn);
    env.put("AWS_REGION", "us-east-1");
    return env;
  }

  /** IMDS that never answers in time (the EKS hop-limit symptom). */
  public FakeAws imdsHangs(Duration delay) {
    wm().stubFor(any(anyUrl()).withHeader("X-aws-ec2-metadata-token-ttl-seconds", com.github.tomakehurst.wiremock.client.WireMock.matching(".*"))
        .atPriority(1).willReturn(aResponse().withFixedDelay((int) delay.toMillis()).withStatus(200)));
    wm().stubFor(get(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/latest/.*")).atPriority(1)
        .willReturn(aResponse().withFixedDelay((int) delay.toMillis()).withStatus(200)));
    return this;
  }

  public int getSecretValueCalls() {
    return wm().countRequestsMatching(postRequestedFor(anyUrl()).withHeader("X-Amz-Target", equalTo(GSV)).build()).getCount();
  }

  public int getSecretValueCalls(String secretId) {
    return wm().countRequestsMatching(postRequestedFor(anyUrl()).withHeader("X-Amz-Target", equalTo(GSV))
        .withRequestBody(matchingJsonPath("$.SecretId", equalTo(secretId))).build()).getCount();
  }

  public int stsCalls() {
    return wm().countRequestsMatching(postRequestedFor(anyUrl()).withRequestBody(containing("Action=AssumeRoleWithWebIdentity")).build()).getCount();
  }

  /** Every request body received (for scanning that no value or token went where it must not). */
  public java.util.List<String> requestHeaders(String name) {
    return wm().getAllServeEvents().stream().map(e -> String.valueOf(e.getRequest().getHeader(name))).toList();
  }

  public void resetCounts() {
    wm().resetRequests();
  }

  private MappingBuilder gsv() {
    return post(anyUrl()).withHeader("X-Amz-Target", equalTo(GSV));
  }

  private MappingBuilder sts() {
    return post(anyUrl()).withRequestBody(containing("Action=AssumeRoleWithWebIdentity"));
  }

  private void notFoundByDefault() {
    wm().stubFor(gsv().atPriority(10).willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
        .withBody(error("ResourceNotFoundException", "Secrets Manager can't find the specified secret."))));
  }

  private ResponseDefinitionBuilder ok(ObjectNode body) {
    return delayed(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body.toString()));
  }

  private ResponseDefinitionBuilder delayed(ResponseDefinitionBuilder r) {
    return latency.isZero() ? r : r.withFixedDelay((int) latency.toMillis());
  }

  private static ObjectNode body(String name, String versionId, String text, byte[] binary) {
    return body(name, versionId, text, binary, arn(name));
  }

  private static ObjectNode body(String name, String versionId, String text, byte[] binary, String arn) {
    ObjectNode b = JSON.createObjectNode().put("ARN", arn).put("Name", name).put("VersionId", versionId)
        .put("CreatedDate", 1.7e9);
    b.putArray("VersionStages").add("AWSCURRENT");
    if (text != null) {
      b.put("SecretString", text);
    }
    if (binary != null) {
      b.put("SecretBinary", Base64.getEncoder().encodeToString(binary));
    }
    return b;
  }

  private static String error(String type, String message) {
    return JSON.createObjectNode().put("__type", type).put("message", message).toString();
  }

  private static String stsCredentials(String roleArn) {
    String key = "ASIA" + Integer.toHexString(roleArn.hashCode()).toUpperCase();
    return "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleWithWebIdentityResult>"
        + "<Credentials><AccessKeyId>" + key + "</AccessKeyId><SecretAccessKey>session-secret</SecretAccessKey>"
        + "<SessionToken>session-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>"
        + "<AssumedRoleUser><Arn>" + roleArn + "/session</Arn><AssumedRoleId>AROA:session</AssumedRoleId></AssumedRoleUser>"
        + "</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
        + "</AssumeRoleWithWebIdentityResponse>";
  }

  private static String stsError(String code, String message) {
    return "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>" + code
        + "</Code><Message>" + message + "</Message></Error><RequestId>r</RequestId></ErrorResponse>";
  }

  private static String form(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    wm().stop();
  }
}
