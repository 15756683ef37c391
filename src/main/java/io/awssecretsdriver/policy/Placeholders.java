package io.awssecretsdriver.policy;

import io.awssecretsdriver.job.TrustedJobInfo;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {project_path}}-style placeholders from the trusted part of the job payload only,
 * never from CI variables, which a job can override.
 */
public final class Placeholders {
  static final Set<String> NAMES =
      Set.of("project_path", "namespace", "project_id", "namespace_id", "root_namespace_id", "ref", "ref_type",
          "ref_protected", "environment", "pipeline_source", "name");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

  private Placeholders() {}

  /** Checks a template's placeholders; returns the first unknown one. */
  public static Optional<String> unknownIn(String template) {
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      if (!NAMES.contains(m.group(1))) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  /**
   * The template with every placeholder replaced by {@code escape(value)}. A placeholder without a
   * trusted value for this job becomes {@code whenMissing}, or makes the result empty.
   */
  static Optional<String> fill(String template, TrustedJobInfo job, Map<String, String> extra,
      java.util.function.UnaryOperator<String> escape, java.util.function.UnaryOperator<String> literal, Optional<String> whenMissing) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    int last = 0;
    while (m.find()) {
      out.append(literal.apply(template.substring(last, m.start())));
      Optional<String> value = valueOf(m.group(1), job, extra).map(escape);
      if (value.isEmpty() && whenMissing.isEmpty()) {
        return Optional.empty();
      }
      out.append(value.or(() -> whenMissing).get());
      last = m.end();
    }
    out.append(literal.apply(template.substring(last)));
    return Optional.of(out.toString());
  }

  public static Optional<String> fill(String template, TrustedJobInfo job, Map<String, String> extra) {
    return fill(template, job, extra, s -> s, s -> s, Optional.empty());
  }

  static Optional<String> valueOf(String name, TrustedJobInfo job, Map<String, String> extra) {
    String value = switch (name) {
      case "project_path" -> job.projectPath();
      case "namespace" -> job.namespace();
      case "project_id" -> job.projectId();
      case "namespace_id" -> job.namespaceId();
      case "root_namespace_id" -> job.rootNamespaceId();
      case "ref" -> job.ref();
      case "ref_type" -> job.refType();
      case "ref_protected" -> String.valueOf(job.protectedRef());
      case "environment" -> job.environment().orElse("");
      case "pipeline_source" -> job.pipelineSource().orElse("");
      default -> extra.getOrDefault(name, "");
    };
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }
}
