package io.awssecretsdriver.check;

import io.awssecretsdriver.job.JobVariable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One job of a CI file as GitLab would run it: {@code extends:}, {@code !reference} and
 * {@code default:} applied, its variables the inherited global ones overridden by its own. A job
 * GitLab would reject carries the reason in {@code problem}.
 */
public record CiJob(String name, boolean hidden, Map<String, Object> config, List<JobVariable> variables, Optional<String> problem) {
  public CiJob {
    variables = List.copyOf(variables);
  }

  public Optional<Object> get(String key) {
    return Optional.ofNullable(config.get(key));
  }

  @Override
  public String toString() {
    return "CiJob[" + name + "]";
  }
}
