package io.awssecretsdriver.check;

import java.util.List;

/** A {@code !reference [.job, key, ...]} tag: a path to a value elsewhere in the file. */
public record CiReference(List<String> path) {
  public CiReference {
    path = List.copyOf(path);
  }

  @Override
  public String toString() {
    return "!reference [" + String.join(", ", path) + "]";
  }
}
