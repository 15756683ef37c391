package io.awssecretsdriver.job;

/** One CI/CD variable of the job, as GitLab sends it. {@code toString()} never shows the value. */
public record JobVariable(String key, String value, boolean raw, boolean file, boolean masked) {
  @Override
  public String toString() {
    return "JobVariable[" + key + "]";
  }
}
