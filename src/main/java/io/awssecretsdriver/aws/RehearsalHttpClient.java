package io.awssecretsdriver.aws;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An HTTP client that never leaves the process: it answers every request with a canned, empty
 * GetSecretValue response. A rehearsal call through it runs the SDK's first-call code (endpoint
 * rules, signing, marshalling, parsing) on another core before the real call needs it.
 */
final class RehearsalHttpClient implements SdkHttpClient {
  private static final byte[] SECRET = ("{\"ARN\":\"arn:aws:secretsmanager:us-east-1:000000000000:secret:rehearsal-AbCdEf\","
      + "\"Name\":\"rehearsal\",\"VersionId\":\"00000000-0000-0000-0000-000000000000\",\"SecretString\":\"\"}")
      .getBytes(StandardCharsets.UTF_8);

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() {
        return HttpExecuteResponse.builder()
            .response(SdkHttpResponse.builder().statusCode(200).putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("Content-Length", String.valueOf(SECRET.length)).build())
            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(SECRET)))
            .build();
      }

      @Override
      public void abort() {}
    };
  }

  @Override
  public void close() {}
}
