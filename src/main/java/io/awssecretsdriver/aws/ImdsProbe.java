package io.awssecretsdriver.aws;

import io.awssecretsdriver.doctor.ManagerProbe.Imds;
import io.awssecretsdriver.doctor.ManagerProbe.ImdsState;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.SdkSystemSetting;

/**
 * Asks EC2 instance metadata for an IMDSv2 session token the way the SDK does (PUT with a TTL
 * header), at the endpoint the SDK would use, bypassing any proxy, and then for the instance
 * profile's role name. A plain HTTP call: IMDS is not an AWS API. The endpoint comes from the
 * environment or system properties only, not from a profile's {@code ec2_metadata_service_endpoint}.
 */
final class ImdsProbe {
  static final String DEFAULT_ENDPOINT = "http://169.254.169.254";
  static final String IPV6_ENDPOINT = "http://[fd00:ec2::254]";
  private static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
  private static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";

  private ImdsProbe() {}

  static boolean disabled() {
    return SdkSystemSetting.AWS_EC2_METADATA_DISABLED.getBooleanValue().orElse(false);
  }

  /** AWS_EC2_METADATA_SERVICE_ENDPOINT (or aws.ec2MetadataServiceEndpoint), else the default of the endpoint mode. */
  static String endpoint() {
    Optional<String> explicit = SdkSystemSetting.AWS_EC2_METADATA_SERVICE_ENDPOINT.getNonDefaultStringValue();
    if (explicit.isPresent()) {
      String e = explicit.get().trim();
      return e.endsWith("/") ? e.substring(0, e.length() - 1) : e;
    }
    String mode = SdkSystemSetting.AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE.getStringValue().orElse("IPv4");
    return mode.equalsIgnoreCase("IPv6") ? IPV6_ENDPOINT : DEFAULT_ENDPOINT;
  }

  static Imds probe(Duration timeout) {
    String endpoint = endpoint();
    if (disabled()) {
      return new Imds(ImdsState.DISABLED, endpoint, Optional.empty(), "", Duration.ZERO);
    }
    long start = System.nanoTime();
    try {
      HttpURLConnection put = open(endpoint + "/latest/api/token", timeout);
      put.setRequestMethod("PUT");
      put.setRequestProperty(TTL_HEADER, "21600");
      put.setDoOutput(true);
      put.setFixedLengthStreamingMode(0);
      put.getOutputStream().close();
      int status = put.getResponseCode();
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      if (status != 200) {
        put.disconnect();
        return new Imds(ImdsState.UNREACHABLE, endpoint, Optional.empty(), "PUT /latest/api/token answered HTTP " + status
            + (status == 403 ? ": IMDS is turned off for this instance" : ""), elapsed);
      }
      String token = read(put);
      return new Imds(ImdsState.REACHABLE, endpoint, role(endpoint, token, timeout), "", elapsed);
    } catch (SocketTimeoutException e) {
      String what = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("connect")
          ? "the connection timed out" : "PUT /latest/api/token got no answer";
      return new Imds(ImdsState.TIMEOUT, endpoint, Optional.empty(), what, Duration.ofNanos(System.nanoTime() - start));
    } catch (ConnectException e) {
      return new Imds(ImdsState.UNREACHABLE, endpoint, Optional.empty(), "connection refused", Duration.ofNanos(System.nanoTime() - start));
    } catch (IOException | IllegalArgumentException e) {
      return new Imds(ImdsState.UNREACHABLE, endpoint, Optional.empty(), e.getClass().getSimpleName() + ": " + e.getMessage(),
          Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /** The instance profile's role, or empty when none is attached (IMDS answers 404). */
  private static Optional<String> role(String endpoint, String token, Duration timeout) throws IOException {
    HttpURLConnection get = open(endpoint + "/latest/meta-data/iam/security-credentials/", timeout);
    get.setRequestProperty(TOKEN_HEADER, token);
    if (get.getResponseCode() != 200) {
      get.disconnect();
      return Optional.empty();
    }
    String body = read(get).trim();
    int nl = body.indexOf('\n');
    String first = nl < 0 ? body : body.substring(0, nl).trim();
    return first.isEmpty() ? Optional.empty() : Optional.of(first.replaceAll("\\p{Cntrl}", "?"));
  }

  private static HttpURLConnection open(String url, Duration timeout) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
    c.setConnectTimeout((int) timeout.toMillis());
    c.setReadTimeout((int) timeout.toMillis());
    c.setUseCaches(false);
    return c;
  }

  private static String read(HttpURLConnection c) throws IOException {
    try (InputStream in = c.getInputStream()) {
      return new String(in.readNBytes(4096), StandardCharsets.UTF_8);
    }
  }
}
