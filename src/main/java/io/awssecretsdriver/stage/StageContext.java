package io.awssecretsdriver.stage;

import io.awssecretsdriver.config.DriverConfig;
import io.awssecretsdriver.job.JobEnvironment;

/** What every stage works with: the runner's environment, the admin's config, and where to print. */
record StageContext(JobEnvironment env, DriverConfig config, Console console) {}
