package io.awssecretsdriver.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The job's variables in the runner's order (later entries win), expanded once as the runner's
 * {@code GetAllVariables().Expand()} does, so that secret definitions see the same values there.
 */
public final class JobVariables {
  private final Map<String, JobVariable> byKey;

  private JobVariables(Map<String, JobVariable> byKey) {
    this.byKey = byKey;
  }

  /** Builds the expanded set from entries in payload order; raw variables are not expanded. */
  public static JobVariables of(List<JobVariable> entries) {
    Map<String, JobVariable> rawByKey = new LinkedHashMap<>();
    for (JobVariable v : entries) {
      rawByKey.remove(v.key()); // keep the order of the winning entry
      rawByKey.put(v.key(), v);
    }
    Map<String, JobVariable> expanded = new LinkedHashMap<>();
    for (JobVariable v : rawByKey.values()) {
      String value = v.raw() ? v.value() : VariableExpander.expand(v.value(), key -> valueOf(rawByKey, key));
      expanded.put(v.key(), new JobVariable(v.key(), value, v.raw(), v.file(), v.masked()));
    }
    return new JobVariables(expanded);
  }

  /**
   * The runner's own expanded values ({@code CUSTOM_ENV_*}) win over this expansion of the payload:
   * they are exactly what the runner's resolver expands definitions with, runner-added ones included.
   */
  public JobVariables overriddenBy(Map<String, String> expandedByRunner) {
    Map<String, JobVariable> merged = new LinkedHashMap<>(byKey);
    expandedByRunner.forEach((k, v) -> {
      JobVariable known = merged.get(k);
      merged.put(k, known == null ? new JobVariable(k, v, true, false, false) : new JobVariable(k, v, known.raw(), known.file(), known.masked()));
    });
    return new JobVariables(merged);
  }

  private static String valueOf(Map<String, JobVariable> map, String key) {
    JobVariable v = map.get(key);
    return v == null ? null : v.value();
  }

  /** Expands references in a definition field against the expanded variables. */
  public String expand(String text) {
    return text == null ? null : VariableExpander.expand(text, key -> valueOf(byKey, key));
  }

  /** The text with the value of every masked variable replaced by [MASKED], for messages that quote user input. */
  public String redact(String text) {
    String out = text;
    for (JobVariable v : byKey.values()) {
      if (v.masked() && v.value().length() >= 8) { // GitLab masks values of 8 characters or more
        out = out.replace(v.value(), "[MASKED]");
      }
    }
    return out;
  }

  public Optional<JobVariable> get(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  public Optional<String> value(String key) {
    return get(key).map(JobVariable::value);
  }

  public boolean contains(String key) {
    return byKey.containsKey(key);
  }

  public List<JobVariable> all() {
    return new ArrayList<>(byKey.values());
  }
}
