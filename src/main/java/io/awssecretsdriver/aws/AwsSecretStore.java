package io.awssecretsdriver.aws;

import io.awssecretsdriver.resolution.FetchFailure;
import io.awssecretsdriver.resolution.FetchRequest;
import io.awssecretsdriver.resolution.FetchedSecret;
import io.awssecretsdriver.resolution.SecretStore;
import io.awssecretsdriver.resolution.SecretValue;
import io.awssecretsdriver.resolution.WebIdentity;
import io.awssecretsdriver.failure.FailureKind;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Secrets Manager through the AWS SDK. One AssumeRoleWithWebIdentity per distinct (role, token,
 * session name, region), shared by every secret of that group even when they are fetched at once.
 */
public final class AwsSecretStore implements SecretStore {
  /** The shortest session STS grants: the credentials only live for this one resolution. */
  private static final int SESSION_SECONDS = 900;

  private final AwsClients clients;
  /** Keyed by (identity, region): a list, as a record key would cost start-up time (see FetchRequest). */
  private final ConcurrentMap<List<Object>, CompletableFuture<AwsCredentialsProvider>> roles = new ConcurrentHashMap<>();
  private final AtomicInteger stsCalls = new AtomicInteger();
  private final AtomicInteger getSecretValueCalls = new AtomicInteger();

  public AwsSecretStore(AwsSettings settings) {
    this.clients = new AwsClients(settings);
  }

  @Override
  public FetchedSecret fetch(FetchRequest request, String secretId) throws FetchFailure {
    AwsCredentialsProvider credentials = request.identity().isPresent()
        ? assumed(request.identity().get(), request.region())
        : clients.managerCredentials();
    GetSecretValueRequest.Builder call = GetSecretValueRequest.builder().secretId(secretId);
    request.versionId().ifPresent(call::versionId);
    request.versionStage().ifPresent(call::versionStage);
    GetSecretValueResponse response;
    try {
      getSecretValueCalls.incrementAndGet();
      response = clients.secretsManager(request.region(), request.identity().map(Object.class::cast).orElse("manager"), credentials)
          .getSecretValue(call.build());
    } catch (SdkException e) {
      throw AwsFailures.secretsManager(e, request, secretId);
    }
    SecretValue value;
    if (response.secretString() != null) {
      value = new SecretValue.Text(response.secretString());
    } else if (response.secretBinary() != null) {
      value = new SecretValue.Binary(response.secretBinary().asByteArray());
    } else {
      throw new FetchFailure(FailureKind.BUILD, "secret contains no value (" + request.versionLabel() + " of " + secretId + " has neither SecretString nor SecretBinary): store a value in it.", false);
    }
    return new FetchedSecret(response.arn() == null ? secretId : response.arn(), response.versionId() == null ? "" : response.versionId(), value);
  }

  private AwsCredentialsProvider assumed(WebIdentity identity, String region) throws FetchFailure {
    CompletableFuture<AwsCredentialsProvider> mine = new CompletableFuture<>();
    CompletableFuture<AwsCredentialsProvider> shared = roles.putIfAbsent(List.of(identity, region), mine);
    if (shared == null) {
      shared = mine;
      try {
        mine.complete(assume(identity, region));
      } catch (FetchFailure f) {
        mine.completeExceptionally(f);
      }
    }
    try {
      return shared.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof FetchFailure f) {
        throw f;
      }
      throw e;
    }
  }

  private AwsCredentialsProvider assume(WebIdentity identity, String region) throws FetchFailure {
    try {
      stsCalls.incrementAndGet();
      AssumeRoleWithWebIdentityResponse r = clients.sts(region).assumeRoleWithWebIdentity(b -> b
          .roleArn(identity.roleArn())
          .webIdentityToken(identity.token().jwt())
          .roleSessionName(identity.sessionName())
          .durationSeconds(SESSION_SECONDS));
      Credentials c = r.credentials();
      return StaticCredentialsProvider.create(AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
    } catch (SdkException e) {
      throw AwsFailures.sts(e, identity, region);
    }
  }

  /** Runs the SDK's first-call code in-process, before the config is even read: see {@link AwsClients#rehearse}. */
  public static void rehearse() {
    AwsClients.rehearse();
  }

  @Override
  public CallCounts calls() {
    return new CallCounts(stsCalls.get(), getSecretValueCalls.get());
  }

  @Override
  public void close() {
    clients.close();
  }
}
