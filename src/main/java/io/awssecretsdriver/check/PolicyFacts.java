package io.awssecretsdriver.check;

import io.awssecretsdriver.config.DriverConfig;
import io.awssecretsdriver.job.TrustedJobInfo;
import io.awssecretsdriver.policy.PolicyRule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which facts about a job the runner's policy and lookup templates decide on that check does not
 * know: a denial that rests on one of them is "depends on the job's project/ref", not a failure.
 */
final class PolicyFacts {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");
  /** The order facts are named in, whatever order the rules need them in. */
  private static final List<String> ORDER = List.of("project", "project id", "ref", "protection", "environment", "pipeline source");

  private PolicyFacts() {}

  static Set<String> unknownNeeded(DriverConfig config, TrustedJobInfo job, boolean protectionKnown) {
    Set<String> out = new LinkedHashSet<>();
    List<String> patterns = new ArrayList<>(config.lookupTemplates().templates());
    for (PolicyRule rule : config.policy().rules()) {
      patterns.add(rule.secrets());
      if (rule.protectedRef().isPresent() && !protectionKnown) {
        out.add("protection");
      }
      if ((rule.ref().isPresent() || rule.refType().isPresent()) && job.ref().isEmpty()) {
        out.add("ref");
      }
      if (rule.projects().isPresent() && job.projectPath().isEmpty()) {
        out.add("project");
      }
      if (rule.environment().isPresent() && job.environment().isEmpty()) {
        out.add("environment");
      }
      if (rule.pipelineSource().isPresent() && job.pipelineSource().isEmpty()) {
        out.add("pipeline source");
      }
    }
    for (String pattern : patterns) {
      Matcher m = PLACEHOLDER.matcher(pattern);
      while (m.find()) {
        String fact = switch (m.group(1)) {
          case "project_path", "namespace" -> job.projectPath().isEmpty() ? "project" : null;
          case "project_id", "namespace_id", "root_namespace_id" -> "project id";
          case "ref", "ref_type" -> job.ref().isEmpty() ? "ref" : null;
          case "ref_protected" -> protectionKnown ? null : "protection";
          case "environment" -> job.environment().isEmpty() ? "environment" : null;
          case "pipeline_source" -> job.pipelineSource().isEmpty() ? "pipeline source" : null;
          default -> null;
        };
        if (fact != null) {
          out.add(fact);
        }
      }
    }
    Set<String> ordered = new LinkedHashSet<>();
    ORDER.stream().filter(out::contains).forEach(ordered::add);
    return ordered;
  }
}
