package io.awssecretsdriver.aws;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
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
  private final AwsSettings settings;
  private final SdkHttpClient http;
  private final ClientOverrideConfiguration overrides;
  private final ConcurrentMap<String, StsClient> sts = new ConcurrentHashMap<>();
  private final ConcurrentMap<Object, SecretsManagerClient> secretsManager = new ConcurrentHashMap<>();
  private volatile DefaultCredentialsProvider managerCredentials;

  AwsClients(AwsSettings settings) {
    this.settings = settings;
    this.http = UrlConnectionHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(5))
        .socketTimeout(settings.apiCallAttemptTimeout())
        .build();
    this.overrides = ClientOverrideConfiguration.builder()
        .apiCallTimeout(settings.apiCallTimeout())
        .apiCallAttemptTimeout(settings.apiCallAttemptTimeout())
        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(settings.maxAttempts()).build())
        .putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, settings.userAgent())
        .build();
  }

  AwsSettings settings() {
    return settings;
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
        .httpClient(http)
        .overrideConfiguration(overrides)
        .build());
  }

  /** Loads the client classes and the default credential chain's providers; no call is made. */
  void warmUp() {
    managerCredentials();
    try (SecretsManagerClient c = SecretsManagerClient.builder().region(Region.US_EAST_1)
        .credentialsProvider(AnonymousCredentialsProvider.create()).httpClient(http).overrideConfiguration(overrides).build()) {
      c.serviceClientConfiguration();
    }
  }

  /** AssumeRoleWithWebIdentity is not signed: the ID token is the credential. */
  StsClient sts(String region) {
    return sts.computeIfAbsent(region, r -> StsClient.builder()
        .region(Region.of(r))
        .credentialsProvider(AnonymousCredentialsProvider.create())
        .httpClient(http)
        .overrideConfiguration(overrides)
        .build());
  }

  /** An STS client signed with the manager's identity, for GetCallerIdentity. */
  StsClient signedSts(String region) {
    return StsClient.builder()
        .region(Region.of(region))
        .credentialsProvider(managerCredentials())
        .httpClient(http)
        .overrideConfiguration(overrides)
        .build();
  }

  Optional<DefaultCredentialsProvider> openedManagerCredentials() {
    return Optional.ofNullable(managerCredentials);
  }

  @Override
  public void close() {
    secretsManager.values().forEach(SecretsManagerClient::close);
    sts.values().forEach(StsClient::close);
    openedManagerCredentials().ifPresent(DefaultCredentialsProvider::close);
    http.close();
  }
}
