package io.awssecretsdriver.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Builds and caches the SDK clients of one stage: one HTTP client (connections reused within the
 * job), one Secrets Manager client per region and identity, one STS client per region. Endpoints,
 * IMDS and container-credential settings come from the SDK's standard environment variables
 * ({@code AWS_ENDPOINT_URL_SECRETS_MANAGER}, {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}, ...).
 */
final class AwsClients implements AutoCloseable {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private final AwsSettings settings;
  private final ClientOverrideConfiguration overrides;
  private final ConcurrentMap<String, StsClient> sts = new ConcurrentHashMap<>();
  private final ConcurrentMap<Object, SecretsManagerClient> secretsManager = new ConcurrentHashMap<>();
  private SdkHttpClient http; // guarded by this
  private DefaultCredentialsProvider managerCredentials; // guarded by this

  AwsClients(AwsSettings settings) {
    this.settings = settings;
    this.overrides = overrides(settings);
  }

  /**
   * Runs the SDK's first-call code once (client build, endpoint rules, signing, marshalling, parsing)
   * against an in-process answer, so that the real first call finds it loaded. Meanwhile other
   * threads load the JVM's crypto providers the signer needs and, unless Secrets Manager is reached
   * over plain http, the trust store. Needs no config and sends nothing.
   */
  static void rehearse() {
    onDaemonThread("load-signing-algorithms", AwsClients::loadSigningAlgorithms);
    if (!plainHttpEndpoint()) {
      onDaemonThread("load-trust-store", DeferredTrustManager::loadDefault);
    }
    AwsSettings defaults = new AwsSettings(Duration.ofSeconds(30), Duration.ofSeconds(10), 3, "rehearsal");
    try (SdkHttpClient unused = httpClient(defaults);
        DefaultCredentialsProvider alsoUnused = DefaultCredentialsProvider.builder().build();
        SecretsManagerClient c = SecretsManagerClient.builder().region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDREHEARSAL", "rehearsal")))
            .httpClient(new RehearsalHttpClient()).overrideConfiguration(overrides(defaults)).build()) {
      c.getSecretValue(b -> b.secretId("rehearsal").versionStage("AWSCURRENT"));
    } catch (RuntimeException e) {
      // only the code it loaded matters, not the rehearsal's outcome
    }
  }

  /** SigV4's SHA-256 and HMAC-SHA256: the JVM's provider and crypto-policy set-up, about 40 ms. */
  private static void loadSigningAlgorithms() {
    try {
      MessageDigest.getInstance("SHA-256").digest(new byte[1]);
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
      hmac.doFinal(new byte[1]);
    } catch (GeneralSecurityException e) {
      // the signer meets the same failure and reports it
    }
  }

  private static void onDaemonThread(String name, Runnable work) {
    Thread t = new Thread(work, name);
    t.setDaemon(true);
    t.start();
  }

  /**
   * Whether the environment points Secrets Manager at plain http (AWS_ENDPOINT_URL_SECRETS_MANAGER,
   * else AWS_ENDPOINT_URL): only a hint of what to prepare, as the SDK decides where it connects.
   */
  private static boolean plainHttpEndpoint() {
    String url = System.getenv("AWS_ENDPOINT_URL_SECRETS_MANAGER");
    url = url == null ? System.getenv("AWS_ENDPOINT_URL") : url;
    return url != null && url.regionMatches(true, 0, "http://", 0, "http://".length());
  }

  /**
   * An endpoint reached over plain http with no proxy configured (LocalStack, a test double) gets a
   * client without TLS: building a TLS context costs about 60 ms of CPU on prepare's critical path.
   * Every other case gets the SDK's own client, with its proxy settings and the deferred trust store.
   */
  private static SdkHttpClient httpClient(AwsSettings settings) {
    if (plainHttpEndpoint() && !proxyConfigured()) {
      return UrlConnectionHttpClient.create(uri -> directConnection(uri, settings));
    }
    return UrlConnectionHttpClient.builder()
        .connectionTimeout(CONNECT_TIMEOUT)
        .socketTimeout(settings.apiCallAttemptTimeout())
        .tlsTrustManagersProvider(() -> new TrustManager[] {new DeferredTrustManager()})
        .build();
  }

  /** What the SDK's client reads for its proxy: the JVM's proxy properties and the usual variables. */
  private static boolean proxyConfigured() {
    return Stream.of("http.proxyHost", "https.proxyHost").anyMatch(p -> System.getProperty(p) != null)
        || Stream.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy").anyMatch(v -> System.getenv(v) != null);
  }

  private static HttpURLConnection directConnection(URI uri, AwsSettings settings) {
    try {
      HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
      c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
      c.setReadTimeout((int) settings.apiCallAttemptTimeout().toMillis());
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ClientOverrideConfiguration overrides(AwsSettings settings) {
    return ClientOverrideConfiguration.builder()
        .apiCallTimeout(settings.apiCallTimeout())
        .apiCallAttemptTimeout(settings.apiCallAttemptTimeout())
        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(settings.maxAttempts()).build())
        .putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, settings.userAgent())
        .build();
  }

  /** The manager's own identity: environment, profile, web identity (IRSA), container (Pod Identity), IMDS. */
  synchronized AwsCredentialsProvider managerCredentials() {
    if (managerCredentials == null) {
      managerCredentials = DefaultCredentialsProvider.builder().build();
    }
    return managerCredentials;
  }

  /** One HTTP client for every AWS client of the stage, so that connections are reused. */
  private synchronized SdkHttpClient http() {
    if (http == null) {
      http = httpClient(settings);
    }
    return http;
  }

  SecretsManagerClient secretsManager(String region, Object identityKey, AwsCredentialsProvider credentials) {
    return secretsManager.computeIfAbsent(java.util.List.of(region, identityKey), k -> SecretsManagerClient.builder()
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .httpClient(http())
        .overrideConfiguration(overrides)
        .build());
  }

  /** AssumeRoleWithWebIdentity is not signed: the ID token is the credential. */
  StsClient sts(String region) {
    return sts.computeIfAbsent(region, r -> StsClient.builder()
        .region(Region.of(r))
        .credentialsProvider(AnonymousCredentialsProvider.create())
        .httpClient(http())
        .overrideConfiguration(overrides)
        .build());
  }

  /** An STS client signed with the manager's identity, for GetCallerIdentity. */
  StsClient signedSts(String region) {
    return StsClient.builder()
        .region(Region.of(region))
        .credentialsProvider(managerCredentials())
        .httpClient(http())
        .overrideConfiguration(overrides)
        .build();
  }

  @Override
  public void close() {
    secretsManager.values().forEach(SecretsManagerClient::close);
    sts.values().forEach(StsClient::close);
    synchronized (this) {
      if (managerCredentials != null) {
        managerCredentials.close();
      }
      if (http != null) {
        http.close();
      }
    }
  }
}
