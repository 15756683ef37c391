package io.awssecretsdriver.policy;

import io.awssecretsdriver.definition.AwsNames;
import io.awssecretsdriver.job.TrustedJobInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a bare secret name is looked for, in order, as Concourse does: {@code /gitlab/{project_path}/{name}}
 * then {@code /gitlab/{namespace}/{name}}. ARNs and names with a leading '/' are used as given.
 */
public record LookupTemplates(List<String> templates) {
  public static final LookupTemplates NONE = new LookupTemplates(List.of());

  public LookupTemplates {
    templates = List.copyOf(templates);
  }

  public List<String> candidates(String secretId, TrustedJobInfo job) {
    if (templates.isEmpty() || AwsNames.isArn(secretId) || secretId.startsWith("/")) {
      return List.of(secretId);
    }
    List<String> out = new ArrayList<>();
    for (String t : templates) {
      Placeholders.fill(t, job, Map.of("name", secretId)).filter(c -> !out.contains(c)).ifPresent(out::add);
    }
    return out;
  }
}
