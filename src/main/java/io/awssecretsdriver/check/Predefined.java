package io.awssecretsdriver.check;

import io.awssecretsdriver.job.JobVariable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitLab's predefined variables ({@code CI_*}, {@code GITLAB_*}) at check time: the few that the
 * options or the file tell (project, ref, job name), and a stand-in for every other one a secret
 * refers to, so that it reads as "resolved at run time" instead of as empty. A stand-in is the
 * variable's own name, which passes every name rule a real value would.
 */
final class Predefined {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)\\}?");
  private static final int MAX_HOPS = 10;

  private Predefined() {}

  static boolean isPredefined(String name) {
    return name.equals("CI") || name.startsWith("CI_") || name.startsWith("GITLAB_");
  }

  /** What the options say about the job, as the predefined variables GitLab would set. */
  static List<JobVariable> known(CheckOptions options, String jobName) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("CI", "true");
    v.put("GITLAB_CI", "true");
    v.put("CI_JOB_NAME", jobName);
    options.project().ifPresent(p -> {
      v.put("CI_PROJECT_PATH", p);
      int slash = p.lastIndexOf('/');
      v.put("CI_PROJECT_NAME", p.substring(slash + 1));
      if (slash > 0) {
        v.put("CI_PROJECT_NAMESPACE", p.substring(0, slash));
        v.put("CI_PROJECT_ROOT_NAMESPACE", p.substring(0, p.indexOf('/')));
      }
    });
    options.ref().ifPresent(r -> {
      v.put("CI_COMMIT_REF_NAME", r);
      v.put("CI_COMMIT_REF_SLUG", slug(r));
      v.put(options.refType().equals("tag") ? "CI_COMMIT_TAG" : "CI_COMMIT_BRANCH", r);
    });
    if (options.describesRef()) {
      v.put("CI_COMMIT_REF_PROTECTED", String.valueOf(options.protectedRef()));
    }
    List<JobVariable> out = new ArrayList<>();
    v.forEach((k, value) -> out.add(new JobVariable(k, value, true, false, false)));
    return out;
  }

  /** GitLab's CI_COMMIT_REF_SLUG: lower case, runs of other than [a-z0-9] as '-', at most 63, no '-' at the ends. */
  static String slug(String ref) {
    String s = ref.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "-");
    s = s.length() > 63 ? s.substring(0, 63) : s;
    return s.replaceAll("^-+|-+$", "");
  }

  /**
   * The predefined variables the texts refer to, directly or through the given variables' values,
   * that none of those variables defines.
   */
  static Set<String> unknownReferences(List<String> texts, Map<String, String> defined) {
    Set<String> out = new LinkedHashSet<>();
    Set<String> visited = new LinkedHashSet<>();
    List<String> frontier = new ArrayList<>(texts);
    for (int hop = 0; hop <= MAX_HOPS && !frontier.isEmpty(); hop++) {
      List<String> next = new ArrayList<>();
      for (String text : frontier) {
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
          String name = m.group(1);
          if (defined.containsKey(name)) {
            if (visited.add(name)) {
              next.add(defined.get(name));
            }
          } else if (isPredefined(name)) {
            out.add(name);
          }
        }
      }
      frontier = next;
    }
    return out;
  }

  /** Every string in a YAML subtree, for reference scanning. */
  static List<String> strings(Object node) {
    List<String> out = new ArrayList<>();
    collect(node, out);
    return out;
  }

  private static void collect(Object node, List<String> out) {
    if (node instanceof String s) {
      out.add(s);
    } else if (node instanceof Map<?, ?> m) {
      m.values().forEach(v -> collect(v, out));
    } else if (node instanceof List<?> l) {
      l.forEach(v -> collect(v, out));
    }
  }
}
