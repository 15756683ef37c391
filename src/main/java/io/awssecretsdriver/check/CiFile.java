package io.awssecretsdriver.check;

import io.awssecretsdriver.failure.DriverException;
import io.awssecretsdriver.job.JobVariable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code .gitlab-ci.yml} read into the jobs GitLab would build from it. Top-level keys are jobs
 * unless they are global keywords; names starting with '.' are hidden templates. Included files are
 * not read: that is said once, in {@link #notes()}.
 */
public record CiFile(String source, List<CiJob> jobs, List<String> notes, List<String> problems) {
  static final Set<String> KEYWORDS = Set.of("default", "include", "stages", "variables", "workflow", "image", "services",
      "cache", "before_script", "after_script", "spec");
  /** The job keywords {@code default:} can give (GitLab's Default entry). */
  static final Set<String> INHERITABLE = Set.of("after_script", "artifacts", "before_script", "cache", "hooks", "id_tokens",
      "image", "interruptible", "retry", "services", "tags", "timeout");
  /** Deprecated top-level forms of some defaults; {@code default:} wins over them. */
  static final List<String> LEGACY_GLOBALS = List.of("image", "services", "cache", "before_script", "after_script");

  public CiFile {
    jobs = List.copyOf(jobs);
    notes = List.copyOf(notes);
    problems = List.copyOf(problems);
  }

  public static CiFile read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw DriverException.user(file + " does not exist: give the path of a .gitlab-ci.yml.");
    } catch (IOException e) {
      throw DriverException.user(file + " cannot be read (" + e.getClass().getSimpleName() + "): check its permissions and encoding.");
    }
    return parse(file.toString(), text);
  }

  public static CiFile parse(String source, String text) {
    Map<String, Object> top = CiYaml.load(source, text);
    List<String> notes = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    if (top.containsKey("include")) {
      notes.add("`include:` is not followed: jobs and templates of included files are not checked.");
    }
    Extends extensions = new Extends(top);
    Map<String, Object> extended = new LinkedHashMap<>();
    Map<String, Optional<String>> extendProblems = new LinkedHashMap<>();
    top.forEach((name, value) -> {
      if (value instanceof Map<?, ?>) {
        Extends.Extended e = extensions.of(name);
        extended.put(name, e.config());
        extendProblems.put(name, e.problem());
      } else {
        extended.put(name, value);
      }
    });
    References references = new References(extended);

    Map<String, Object> defaults = new LinkedHashMap<>();
    for (String legacy : LEGACY_GLOBALS) {
      if (extended.containsKey(legacy)) {
        defaults.put(legacy, extended.get(legacy));
      }
    }
    Object defaultEntry = extended.get("default");
    if (defaultEntry != null && !(defaultEntry instanceof Map)) {
      problems.add("`default:` must be a mapping of job keywords.");
    } else if (defaultEntry != null) {
      Map<String, Object> d = Extends.mapping(defaultEntry);
      if (d.containsKey("secrets")) {
        problems.add("`default:` cannot hold `secrets:` (GitLab rejects the file): define them in each job, or in a template the "
            + "jobs extend.");
      }
      defaults.putAll(d);
    }
    Map<String, Object> resolvedDefaults;
    List<JobVariable> globals;
    try {
      resolvedDefaults = Extends.mapping(references.resolve(defaults));
    } catch (IllegalArgumentException e) {
      problems.add("`default:` " + e.getMessage());
      resolvedDefaults = Map.of();
    }
    try {
      globals = Variables.of(references.resolve(extended.get("variables")));
    } catch (IllegalArgumentException e) {
      problems.add("top-level `variables:` " + e.getMessage());
      globals = List.of();
    }

    List<CiJob> jobs = new ArrayList<>();
    for (Map.Entry<String, Object> e : extended.entrySet()) {
      String name = e.getKey();
      if (KEYWORDS.contains(name)) {
        continue;
      }
      if (!(top.get(name) instanceof Map)) {
        if (name.startsWith(".")) {
          continue; // hidden keys may hold anything, such as anchored lists
        }
        notes.add("'" + name + "' is not a job: a job must be a mapping of keywords.");
        continue;
      }
      jobs.add(job(name, Extends.mapping(e.getValue()), extendProblems.get(name), references, resolvedDefaults, globals));
    }
    return new CiFile(source, jobs, notes, problems);
  }

  private static CiJob job(String name, Map<String, Object> config, Optional<String> problem, References references,
      Map<String, Object> defaults, List<JobVariable> globals) {
    boolean hidden = name.startsWith(".");
    if (problem.isPresent()) {
      return new CiJob(name, hidden, config, List.of(), problem);
    }
    Map<String, Object> resolved;
    try {
      resolved = Extends.mapping(references.resolve(config));
    } catch (IllegalArgumentException e) {
      return new CiJob(name, hidden, config, List.of(), Optional.of(e.getMessage()));
    }
    Object inherit = resolved.get("inherit");
    Map<String, Object> inheritance = Extends.mapping(inherit);
    for (Map.Entry<String, Object> d : defaults.entrySet()) {
      if (INHERITABLE.contains(d.getKey()) && !resolved.containsKey(d.getKey()) && inherits(inheritance.get("default"), d.getKey())) {
        resolved.put(d.getKey(), d.getValue());
      }
    }
    List<JobVariable> variables = new ArrayList<>();
    for (JobVariable g : globals) {
      if (inherits(inheritance.get("variables"), g.key())) {
        variables.add(g);
      }
    }
    try {
      variables.addAll(Variables.of(resolved.get("variables")));
    } catch (IllegalArgumentException e) {
      return new CiJob(name, hidden, resolved, List.of(), Optional.of("`variables:` " + e.getMessage()));
    }
    return new CiJob(name, hidden, resolved, variables, Optional.empty());
  }

  /** {@code inherit:default} / {@code inherit:variables}: absent or true inherits all, false none, a list those named. */
  private static boolean inherits(Object setting, String key) {
    if (setting == null || Boolean.TRUE.equals(setting)) {
      return true;
    }
    if (setting instanceof List<?> list) {
      return list.stream().anyMatch(item -> key.equals(String.valueOf(item)));
    }
    return false;
  }

  public Optional<CiJob> job(String name) {
    return jobs.stream().filter(j -> j.name().equals(name)).findFirst();
  }
}
