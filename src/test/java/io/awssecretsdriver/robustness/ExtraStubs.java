package io.awssecretsdriver.robustness;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.awssecretsdriver.testing.FakeAws;
import java.net.URI;

/**
 * Stubs that {@link FakeAws} has no method for (a fault followed by success, a 200 with a broken
 * body), registered through WireMock's admin API on the same server so they live and die with it.
 */
final class ExtraStubs {
  private final WireMock admin;

  ExtraStubs(FakeAws aws) {
    URI endpoint = URI.create(aws.endpoint());
    this.admin = new WireMock(endpoint.getHost(), endpoint.getPort());
  }

  private static MappingBuilder gsv(String secretId) {
    return post(anyUrl()).withHeader("X-Amz-Target", equalTo(FakeAws.GSV)).withRequestBody(matchingJsonPath("$.SecretId", equalTo(secretId)));
  }

  /** The first {@code failures} calls for this id fail with a network fault, later ones answer the value. */
  ExtraStubs faultThenValue(String secretId, Fault fault, int failures, String value) {
    return thenValue(secretId, failures, aResponse().withFault(fault), value);
  }

  /** The first {@code failures} calls answer HTTP 200 with this body, later ones answer the value. */
  ExtraStubs bodyThenValue(String secretId, int failures, String contentType, String body, String value) {
    return thenValue(secretId, failures, aResponse().withStatus(200).withHeader("Content-Type", contentType).withBody(body), value);
  }

  private ExtraStubs thenValue(String secretId, int failures, ResponseDefinitionBuilder failure, String value) {
    String scenario = "extra-" + secretId;
    for (int i = 0; i < failures; i++) {
      admin.register(gsv(secretId).atPriority(1).inScenario(scenario)
          .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "failed-" + i).willSetStateTo("failed-" + (i + 1)).willReturn(failure));
    }
    admin.register(gsv(secretId).atPriority(1).inScenario(scenario).whenScenarioStateIs("failed-" + failures)
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(ok(secretId, value))));
    return this;
  }

  /** Every call for this id answers HTTP status with this body. */
  ExtraStubs always(String secretId, int status, String contentType, String body) {
    admin.register(gsv(secretId).atPriority(1).willReturn(aResponse().withStatus(status).withHeader("Content-Type", contentType).withBody(body)));
    return this;
  }

  /** An AWS error whose Date header is {@code skew} away from this machine's clock, as AWS answers a skewed client. */
  ExtraStubs skewed(String secretId, int status, String type, String message, java.time.Duration skew) {
    String date = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plus(skew));
    admin.register(gsv(secretId).atPriority(1).willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1")
        .withHeader("Date", date).withBody("{\"__type\":\"" + type + "\",\"message\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(message) + "}")));
    return this;
  }

  /** One skewed error (as {@link #skewed}), then the value. */
  ExtraStubs skewedThenValue(String secretId, String type, String message, java.time.Duration skew, String value) {
    String date = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plus(skew));
    return thenValue(secretId, 1, aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1").withHeader("Date", date)
        .withBody("{\"__type\":\"" + type + "\",\"message\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(message) + "}"), value);
  }

  static String ok(String secretId, String value) {
    return "{\"ARN\":\"" + FakeAws.arn(secretId) + "\",\"Name\":\"" + secretId + "\",\"VersionId\":\"v1\",\"VersionStages\":[\"AWSCURRENT\"],"
        + "\"SecretString\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(value) + "}";
  }
}
