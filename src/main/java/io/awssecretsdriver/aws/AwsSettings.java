package io.awssecretsdriver.aws;

import java.time.Duration;

/** How the driver's AWS clients behave: timeouts, retries, and the user agent CloudTrail shows. */
public record AwsSettings(Duration apiCallTimeout, Duration apiCallAttemptTimeout, int maxAttempts, String userAgent) {}
