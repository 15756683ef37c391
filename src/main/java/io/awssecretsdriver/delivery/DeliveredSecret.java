package io.awssecretsdriver.delivery;

/**
 * One entry of the job's manifest: a variable, whether it holds a file path or the value, and
 * whether the runner's script would overwrite it (a CI variable of the same name), in which case the
 * run stage guards it. Holds no value.
 */
public record DeliveredSecret(String variable, boolean file, boolean guarded) {}
