package io.awssecretsdriver.definition;

import java.util.List;

/** The outcome of reading a job's definitions: the valid ones and one problem line per broken one. */
public record Definitions(List<SecretDefinition> valid, List<String> problems, List<String> otherKinds) {
  public Definitions {
    valid = List.copyOf(valid);
    problems = List.copyOf(problems);
    otherKinds = List.copyOf(otherKinds);
  }
}
