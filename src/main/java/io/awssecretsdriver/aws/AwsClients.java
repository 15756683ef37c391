package io.awssecretsdriver.aws;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
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
  /** Built on a thread of its own: loading the JVM's trusted certificates takes ~150 ms on 2 cores. */
  private final CompletableFuture<SdkHttpClient> http;
  private final ClientOverrideConfiguration overrides;
  private final ConcurrentMap<String, StsClient> sts = new ConcurrentHashMap<>();
  private final ConcurrentMap<Object, SecretsManagerClient> secretsManager = new ConcurrentHashMap<>();
  private volatile DefaultCredentialsProvider managerCredentials;

  AwsClients(AwsSettings settings) {
    this.http = onOwnThread("build-http-client", () -> UrlConnectionHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(5))
        .socketTimeout(settings.apiCallAttemptTimeout())
        .build());
    this.overrides = ClientOverrideConfiguration.builder()
        .apiCallTimeout(settings.apiCallTimeout())
        .apiCallAttemptTimeout(settings.apiCallAttemptTimeout())
        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(settings.maxAttempts()).build())
        .putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, settings.userAgent())
        .build();
  }

  /** The manager's own identity: environment, profile, web identity (IRSA), container (Pod Identity), IMDS. */
  AwsCredentialsProvider managerCredentials() {
    DefaultCredentialsProvider p = managerCredentials;
    if (p == null) {
      synchronized (this) {
        if (managerCredentials == null) {
          managerCredentials = DefaultCredentialsProvider.builder().build();
        }
        p = managerCredentials;
      }
    }
    return p;
  }

  SecretsManagerClient secretsManager(String region, Object identityKey, AwsCredentialsProvider credentials) {
    return secretsManager.computeIfAbsent(java.util.List.of(region, identityKey), k -> SecretsManagerClient.builder()
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .httpClient(http())
        .overrideConfiguration(overrides)
        .build());
  }

  /**
   * Rehearses one GetSecretValue call against an in-process answer while the HTTP client is still
   * being built, so that the real first call finds the SDK's code loaded. Nothing leaves the process.
   */
  void warmUp() {
    managerCredentials();
    try (SecretsManagerClient c = SecretsManagerClient.builder().region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDREHEARSAL", "rehearsal")))
        .httpClient(new RehearsalHttpClient()).overrideConfiguration(overrides).build()) {
      c.getSecretValue(b -> b.secretId("rehearsal"));
    } catch (RuntimeException e) {
      // only the code it loaded matters, not the rehearsal's outcome
    }
  }

  private static <T> CompletableFuture<T> onOwnThread(String name, Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        result.complete(work.get());
      } catch (RuntimeException | Error e) {
        result.completeExceptionally(e);
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return result;
  }

  private SdkHttpClient http() {
    try {
      return http.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
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
    if (managerCredentials != null) {
      managerCredentials.close();
    }
    http.thenAccept(SdkHttpClient::close);
  }
}
