package io.awssecretsdriver.aws;

import io.awssecretsdriver.doctor.CredentialSource;
import io.awssecretsdriver.doctor.ManagerProbe;
import io.awssecretsdriver.resolution.FetchFailure;
import io.awssecretsdriver.resolution.FetchRequest;
import io.awssecretsdriver.resolution.FetchedSecret;
import io.awssecretsdriver.resolution.SecretValue;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.profiles.ProfileFileSystemSetting;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.InstanceProfileRegionProvider;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The doctor's questions to AWS, asked as the driver itself would ask them: the SDK's own providers
 * in the default chain's order, its region chain, GetCallerIdentity through the driver's clients,
 * and GetSecretValue through {@link AwsSecretStore}. Every call is bounded by a hard timeout, so a
 * hanging endpoint costs seconds, not the runner's patience.
 */
public final class ManagerDiagnostics implements ManagerProbe {
  static final Duration PROVIDER_TIMEOUT = Duration.ofSeconds(4);
  /** The whole chain's bound: providers that hang (IMDS, container, STS for web identity) share it. */
  static final Duration CHAIN_TIMEOUT = Duration.ofSeconds(8);
  static final Duration IMDS_TIMEOUT = Duration.ofSeconds(2);
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(6);
  /** The SDK's own bounds per call, under {@link #CALL_TIMEOUT}: two attempts of 3 s within 5 s. */
  static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(5);
  static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);

  private final AwsSettings settings;
  private final Clock clock;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "doctor");
    t.setDaemon(true); // a call stuck past its bound must not keep the command alive
    return t;
  });
  private AwsClients clients;

  public ManagerDiagnostics(String userAgent, Clock clock) {
    this.settings = new AwsSettings(API_CALL_TIMEOUT, ATTEMPT_TIMEOUT, 2, userAgent);
    this.clock = clock;
  }

  @Override
  public Credentials credentials() {
    List<String> failures = new ArrayList<>();
    long deadline = System.nanoTime() + CHAIN_TIMEOUT.toNanos();
    for (CredentialSource source : CredentialSource.values()) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      if (left.isZero()) {
        failures.add(source.label() + ": not tried, the chain's " + CHAIN_TIMEOUT.toSeconds() + " s were spent");
        continue;
      }
      Bounded<AwsCredentials> attempt = bounded(() -> {
        AwsCredentialsProvider provider = provider(source);
        try {
          return provider.resolveCredentials();
        } finally {
          if (provider instanceof SdkAutoCloseable c) {
            c.close();
          }
        }
      }, left.compareTo(PROVIDER_TIMEOUT) < 0 ? left : PROVIDER_TIMEOUT);
      if (attempt.value().isPresent()) {
        return new Credentials(Optional.of(source), describe(source) + "; " + kind(attempt.value().get()), List.of());
      }
      if (configured(source)) {
        failures.add(source.label() + ": " + attempt.problem());
      }
    }
    return new Credentials(Optional.empty(), "", failures);
  }

  private static AwsCredentialsProvider provider(CredentialSource source) {
    return switch (source) {
      case SYSTEM_PROPERTIES -> SystemPropertyCredentialsProvider.create();
      case ENVIRONMENT -> EnvironmentVariableCredentialsProvider.create();
      case WEB_IDENTITY -> WebIdentityTokenFileCredentialsProvider.builder().asyncCredentialUpdateEnabled(false).build();
      case PROFILE -> ProfileCredentialsProvider.builder().build();
      case CONTAINER -> ContainerCredentialsProvider.builder().asyncCredentialUpdateEnabled(false).build();
      case INSTANCE_PROFILE -> InstanceProfileCredentialsProvider.builder().asyncCredentialUpdateEnabled(false).build();
    };
  }

  /** True when the provider's settings are present, so that its failure is worth telling. */
  private static boolean configured(CredentialSource source) {
    return switch (source) {
      case SYSTEM_PROPERTIES -> System.getProperty("aws.accessKeyId") != null || System.getProperty("aws.secretAccessKey") != null;
      case ENVIRONMENT -> SdkSystemSetting.AWS_ACCESS_KEY_ID.getStringValue().isPresent()
          || SdkSystemSetting.AWS_SECRET_ACCESS_KEY.getStringValue().isPresent();
      case WEB_IDENTITY -> SdkSystemSetting.AWS_WEB_IDENTITY_TOKEN_FILE.getStringValue().isPresent();
      case PROFILE -> ProfileFileSystemSetting.AWS_PROFILE.getNonDefaultStringValue().isPresent()
          || java.nio.file.Files.exists(Path.of(credentialsFile())) || java.nio.file.Files.exists(Path.of(configFile()));
      case CONTAINER -> SdkSystemSetting.AWS_CONTAINER_CREDENTIALS_FULL_URI.getStringValue().isPresent()
          || SdkSystemSetting.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI.getStringValue().isPresent();
      case INSTANCE_PROFILE -> true;
    };
  }

  /** Where the credentials came from, by setting names and paths only. */
  private static String describe(CredentialSource source) {
    return switch (source) {
      case SYSTEM_PROPERTIES -> "aws.accessKeyId and aws.secretAccessKey";
      case ENVIRONMENT -> "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
          + (SdkSystemSetting.AWS_SESSION_TOKEN.getStringValue().isPresent() ? " with AWS_SESSION_TOKEN" : "");
      case WEB_IDENTITY -> "role " + SdkSystemSetting.AWS_ROLE_ARN.getStringValue().orElse("(AWS_ROLE_ARN not set)")
          + " with the token file " + SdkSystemSetting.AWS_WEB_IDENTITY_TOKEN_FILE.getStringValue().orElse("");
      case PROFILE -> "profile '" + ProfileFileSystemSetting.AWS_PROFILE.getNonDefaultStringValue().orElse("default") + "' of "
          + credentialsFile() + " or " + configFile();
      case CONTAINER -> container();
      case INSTANCE_PROFILE -> "instance profile through IMDS at " + ImdsProbe.endpoint();
    };
  }

  private static String container() {
    Optional<String> full = SdkSystemSetting.AWS_CONTAINER_CREDENTIALS_FULL_URI.getStringValue();
    if (full.isPresent()) {
      boolean podIdentity = full.get().contains("169.254.170.23") || full.get().contains("fd00:ec2::23");
      return "AWS_CONTAINER_CREDENTIALS_FULL_URI " + full.get() + (podIdentity ? " (EKS Pod Identity agent)" : "");
    }
    return "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (ECS task role)";
  }

  private static String credentialsFile() {
    return ProfileFileSystemSetting.AWS_SHARED_CREDENTIALS_FILE.getNonDefaultStringValue().orElse(home(".aws/credentials"));
  }

  private static String configFile() {
    return ProfileFileSystemSetting.AWS_CONFIG_FILE.getNonDefaultStringValue().orElse(home(".aws/config"));
  }

  private static String home(String relative) {
    return Path.of(System.getProperty("user.home"), relative).toString();
  }

  private static String kind(AwsCredentials c) {
    if (c instanceof AwsSessionCredentials s) {
      return "temporary credentials" + s.expirationTime().map(t -> " expiring " + t).orElse("");
    }
    return "a long-term access key";
  }

  @Override
  public Optional<RegionFound> region() {
    List<AwsRegionProvider> chain = new ArrayList<>(List.of(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider()));
    if (!ImdsProbe.disabled()) {
      chain.add(new InstanceProfileRegionProvider());
    }
    for (AwsRegionProvider provider : chain) {
      Bounded<String> r = bounded(() -> provider.getRegion().id(), IMDS_TIMEOUT);
      if (r.value().isPresent()) {
        return Optional.of(new RegionFound(r.value().get(), regionSource(provider)));
      }
    }
    return Optional.empty();
  }

  private static String regionSource(AwsRegionProvider provider) {
    if (provider instanceof SystemSettingsRegionProvider) {
      return System.getProperty(SdkSystemSetting.AWS_REGION.property()) != null
          ? "system property " + SdkSystemSetting.AWS_REGION.property() : "environment variable AWS_REGION";
    }
    if (provider instanceof AwsProfileRegionProvider) {
      return "profile '" + ProfileFileSystemSetting.AWS_PROFILE.getNonDefaultStringValue().orElse("default") + "' of "
          + configFile();
    }
    return "EC2 instance metadata (IMDS)";
  }

  @Override
  public Imds imds() {
    Bounded<Imds> r = bounded(() -> ImdsProbe.probe(IMDS_TIMEOUT), IMDS_TIMEOUT.multipliedBy(2).plusSeconds(1));
    return r.value().orElseGet(() -> new Imds(ImdsState.TIMEOUT, ImdsProbe.endpoint(), Optional.empty(), r.problem(),
        IMDS_TIMEOUT.multipliedBy(2)));
  }

  @Override
  public Identity callerIdentity(String region) {
    Bounded<Identity> r = bounded(() -> {
      try (StsClient sts = clients().signedSts(region)) {
        GetCallerIdentityResponse response = sts.getCallerIdentity();
        Instant now = clock.instant();
        return new Identity(Optional.ofNullable(response.account()), Optional.ofNullable(response.arn()), Optional.empty(),
            date(response.sdkHttpResponse()), now);
      } catch (AwsServiceException e) {
        Instant now = clock.instant();
        String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
        String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        return new Identity(Optional.empty(), Optional.empty(), Optional.of("HTTP " + e.statusCode() + " (" + code + ")"
            + (message == null || message.isBlank() ? "" : ": " + oneLine(message))),
            e.awsErrorDetails() == null ? Optional.empty() : date(e.awsErrorDetails().sdkHttpResponse()), now);
      } catch (SdkException e) {
        return new Identity(Optional.empty(), Optional.empty(), Optional.of(rootCause(e)), Optional.empty(), clock.instant());
      }
    }, CALL_TIMEOUT);
    return r.value().orElseGet(() -> new Identity(Optional.empty(), Optional.empty(), Optional.of(r.problem()), Optional.empty(),
        clock.instant()));
  }

  @Override
  public SecretRead readSecret(String secretId, String region) {
    Bounded<SecretRead> r = bounded(() -> {
      try (AwsSecretStore store = new AwsSecretStore(settings)) {
        FetchedSecret fetched = store.fetch(new FetchRequest(List.of(secretId), Optional.empty(), Optional.empty(), region,
            Optional.empty()), secretId);
        // Only the size leaves this method; the value goes out of scope here.
        SecretValue value = fetched.value();
        return value instanceof SecretValue.Text t
            ? new SecretRead(Optional.empty(), fetched.arn(), fetched.versionId(), t.text().length(), "characters")
            : new SecretRead(Optional.empty(), fetched.arn(), fetched.versionId(), value.bytes().length, "bytes");
      } catch (FetchFailure f) {
        return SecretRead.failed(f.getMessage());
      }
    }, CALL_TIMEOUT);
    return r.value().orElseGet(() -> SecretRead.failed(r.problem()));
  }

  private synchronized AwsClients clients() {
    if (clients == null) {
      clients = new AwsClients(settings);
    }
    return clients;
  }

  private static Optional<Instant> date(SdkHttpResponse response) {
    if (response == null) {
      return Optional.empty();
    }
    try {
      return response.firstMatchingHeader("Date").map(d -> ZonedDateTime.parse(d.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String first = oneLine(String.valueOf(e.getMessage()));
    return root == e ? first : first + " (" + root.getClass().getSimpleName() + ": " + oneLine(String.valueOf(root.getMessage())) + ")";
  }

  private static String oneLine(String m) {
    String s = m.replaceAll("\\p{Cntrl}", " ").trim();
    int dot = s.indexOf(". ");
    s = dot > 0 ? s.substring(0, dot) : s;
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  /** Runs a call on a daemon thread and gives up on it after the bound. */
  private <T> Bounded<T> bounded(Callable<T> call, Duration bound) {
    Future<T> f = pool.submit(call);
    try {
      T value = f.get(bound.toMillis(), TimeUnit.MILLISECONDS);
      return new Bounded<>(Optional.ofNullable(value), "no value");
    } catch (TimeoutException e) {
      f.cancel(true);
      return new Bounded<>(Optional.empty(), "no answer within " + bound.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Bounded<>(Optional.empty(), "interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new Bounded<>(Optional.empty(), cause instanceof SdkException || cause instanceof IllegalStateException
          ? oneLine(String.valueOf(cause.getMessage())) : cause.getClass().getSimpleName() + ": " + oneLine(String.valueOf(cause.getMessage())));
    }
  }

  private record Bounded<T>(Optional<T> value, String problem) {}

  @Override
  public void close() {
    AwsClients c;
    synchronized (this) {
      c = clients;
    }
    if (c != null) {
      c.close();
    }
    pool.shutdownNow();
  }
}
