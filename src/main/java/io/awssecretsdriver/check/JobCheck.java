package io.awssecretsdriver.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.awssecretsdriver.config.DriverConfig;
import io.awssecretsdriver.definition.DefinitionParser;
import io.awssecretsdriver.definition.Definitions;
import io.awssecretsdriver.definition.DefinitionsVariable;
import io.awssecretsdriver.definition.Origin;
import io.awssecretsdriver.definition.SecretDefinition;
import io.awssecretsdriver.failure.DriverException;
import io.awssecretsdriver.failure.FailureKind;
import io.awssecretsdriver.job.JobVariable;
import io.awssecretsdriver.job.JobVariables;
import io.awssecretsdriver.job.TrustedJobInfo;
import io.awssecretsdriver.policy.AccessCheck;
import io.awssecretsdriver.resolution.FetchRequest;
import io.awssecretsdriver.resolution.PlannedSecret;
import io.awssecretsdriver.resolution.Planner;
import io.awssecretsdriver.resolution.SecretOutcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks one job's {@code secrets:} (and the definitions variable) as prepare would read them: the
 * same parser and problem texts, the job's variables as the expansion context, its
 * {@code id_tokens:} as the ID tokens that will exist, and the runner's policy.
 */
final class JobCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** What a declared ID token holds at check time: any non-empty text, never sent anywhere. */
  private static final String TOKEN_STAND_IN = "id-token-issued-at-run-time";
  /** The variables the parser reads when a definition does not set its own region, role or session. */
  private static final List<String> AWS_VARIABLES = List.of("$AWS_REGION", "$AWS_ROLE_ARN", "$AWS_ROLE_SESSION_NAME");

  private final DriverConfig config;
  private final CheckOptions options;

  JobCheck(DriverConfig config, CheckOptions options) {
    this.config = config;
    this.options = options;
  }

  List<Finding> check(CiJob job) {
    List<Finding> out = new ArrayList<>();
    if (job.problem().isPresent()) {
      out.add(Finding.of(Verdict.FAIL, job.problem().get()));
      return out;
    }
    List<JobVariable> declared = new ArrayList<>(Predefined.known(options, job.name()));
    declared.addAll(job.variables());
    declared.addAll(options.variables()); // project and group variables win over the file's
    Map<String, String> written = new LinkedHashMap<>();
    declared.forEach(v -> written.put(v.key(), v.value()));

    Object secrets = job.config().get("secrets");
    DriverConfig.DefinitionsVariableSetting setting = config.definitionsVariable();
    Optional<String> definitionsText = setting.enabled()
        ? Optional.ofNullable(written.get(setting.name())).filter(s -> !s.isBlank()) : Optional.empty();
    if (secrets == null && definitionsText.isEmpty()) {
      return out;
    }
    if (secrets != null && !(secrets instanceof Map)) {
      out.add(Finding.of(Verdict.FAIL, "`secrets:` must be a mapping of CI variable names to definitions, found "
          + Yamls.describe(secrets) + "."));
      return out;
    }
    Map<String, Object> entries = Extends.mapping(secrets);
    List<String> tokens = idTokens(job, out);

    List<String> texts = new ArrayList<>(Predefined.strings(entries));
    definitionsText.ifPresent(texts::add);
    texts.addAll(AWS_VARIABLES);
    List<JobVariable> context = new ArrayList<>();
    for (String name : Predefined.unknownReferences(texts, written)) {
      context.add(new JobVariable(name, name, true, false, false));
    }
    context.addAll(declared);
    tokens.forEach(t -> context.add(new JobVariable(t, TOKEN_STAND_IN, true, false, false)));
    Context c = new Context(new DefinitionParser(JobVariables.of(context)), written, trusted(job));

    for (Map.Entry<String, Object> e : entries.entrySet()) {
      out.add(entry(c, e.getKey(), e.getValue(), Origin.SECRETS_KEYWORD, ""));
    }
    definitionsText.ifPresent(text -> definitionsVariable(c, setting, text, entries, out));
    return out;
  }

  /** The job's declared ID tokens; a malformed declaration is reported. */
  private static List<String> idTokens(CiJob job, List<Finding> out) {
    Object node = job.config().get("id_tokens");
    if (node == null) {
      return List.of();
    }
    if (!(node instanceof Map<?, ?> map)) {
      out.add(Finding.of(Verdict.FAIL, "`id_tokens:` must be a mapping of token names to `aud:`, found " + Yamls.describe(node) + "."));
      return List.of();
    }
    List<String> names = new ArrayList<>();
    map.forEach((k, v) -> {
      String name = String.valueOf(k);
      Object aud = v instanceof Map<?, ?> m ? m.get("aud") : null;
      boolean valid = aud instanceof String s ? !s.isBlank()
          : aud instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(a -> a instanceof String s && !s.isBlank());
      if (valid) {
        names.add(name);
      } else {
        out.add(Finding.of(Verdict.FAIL, "ID token " + name + " has no `aud:`: set the audience your IAM OIDC identity provider "
            + "expects, such as `aud: sts.amazonaws.com`."));
      }
    });
    return names;
  }

  private void definitionsVariable(Context c, DriverConfig.DefinitionsVariableSetting setting, String text,
      Map<String, Object> keyword, List<Finding> out) {
    ObjectNode tree;
    try {
      tree = DefinitionsVariable.parse(setting.name(), text, setting.maxBytes());
    } catch (DriverException e) {
      e.lines().forEach(l -> out.add(Finding.of(Verdict.FAIL, l)));
      return;
    }
    // The same rules as prepare's JobSecrets: a name in both places is an error, and the keyword's entry is the one read.
    List<String> names = new ArrayList<>();
    tree.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      if (keyword.containsKey(name)) {
        out.add(Finding.of(Verdict.FAIL, "Secret \"" + name + "\" is defined both under `secrets:` and in " + setting.name()
            + ": keep one of them."));
        tree.remove(name);
      }
    }
    tree.properties().forEach(e -> out.add(entry(c, e.getKey(), e.getValue(), Origin.DEFINITIONS_VARIABLE,
        " (in " + setting.name() + ")")));
  }

  private Finding entry(Context c, String name, Object entry, Origin origin, String where) {
    ObjectNode one = JSON.createObjectNode();
    one.set(name, entry instanceof JsonNode n ? n : JSON.valueToTree(entry));
    Definitions parsed = c.parser().parse(one, origin);
    if (!parsed.otherKinds().isEmpty()) {
      return Finding.of(Verdict.SKIP, name + ": not ours (" + kind(entry) + "): left to the resolver it names");
    }
    if (!parsed.problems().isEmpty()) {
      return Finding.of(Verdict.FAIL, parsed.problems().get(0) + where);
    }
    List<String> texts = new ArrayList<>(Predefined.strings(entry instanceof JsonNode n ? JSON.convertValue(n, Object.class) : entry));
    texts.addAll(AWS_VARIABLES);
    Set<String> runtime = Predefined.unknownReferences(texts, c.written());
    return definition(c, parsed.valid().get(0), runtime, where);
  }

  private Finding definition(Context c, SecretDefinition d, Set<String> runtime, String where) {
    String what = restore(d.describe(), runtime) + d.versionId().map(v -> " version " + v).or(() -> d.versionStage().map(s -> " stage " + s)).orElse("");
    String fail = new SecretOutcome.Failed(d, FailureKind.BUILD, "").line();
    String head = fail.substring(0, fail.length() - 2) + where; // Secret "NAME" (id#field), as prepare names it
    AccessCheck.Verdict verdict = new AccessCheck(config.policy(), config.lookupTemplates()).check(d, c.trusted());
    if (verdict.denied()) {
      Set<String> unknown = PolicyFacts.unknownNeeded(config, c.trusted(), options.describesRef());
      if (!unknown.isEmpty() || !runtime.isEmpty()) {
        String needs = unknown.isEmpty() ? "the values of " + and(runtime) : "the job's " + and(unknown);
        return Finding.of(Verdict.NOTE, head + ": depends on the job's project/ref: the runner's secrets policy decides on "
            + needs + ", unknown here; give --project GROUP/PROJECT --ref REF [--protected] to check it.");
      }
      return Finding.of(Verdict.FAIL, head + ": " + verdict.denial());
    }
    Optional<FetchRequest> request = new Planner(config.resolution().defaultRegion()).plan(d, verdict.candidates());
    if (request.isEmpty()) {
      return Finding.of(options.resolve() ? Verdict.FAIL : Verdict.NOTE, head + ": " + Planner.noRegion()
          + " (if AWS_REGION is a project or group CI/CD variable, pass it with --var AWS_REGION=...)");
    }
    String who = d.usesOidc()
        ? "role " + restore(d.roleArn().get(), runtime) + " (ID token " + d.idToken().map(t -> t.variable()).orElse("?") + ")"
        : "the runner manager's identity";
    List<String> candidates = request.get().candidates();
    String lookup = candidates.equals(List.of(d.secretId())) ? "" : ", looked up as " + String.join(", ", candidates);
    String late = runtime.isEmpty() ? "" : "; " + String.join(", ", runtime) + " resolved at run time";
    String text = d.variable() + where + ": " + what + " in " + request.get().region() + " with " + who
        + ", file: " + d.file() + lookup + late;
    return new Finding(Verdict.OK, text, Optional.of(new PlannedSecret(d, request.get())));
  }

  private static String and(Set<String> items) {
    List<String> l = List.copyOf(items);
    return l.size() == 1 ? l.get(0) : String.join(", ", l.subList(0, l.size() - 1)) + " and " + l.get(l.size() - 1);
  }

  /** Puts {@code $NAME} back where a stand-in for a run-time variable was expanded, for display. */
  private static String restore(String text, Set<String> runtime) {
    String out = text;
    for (String name : runtime.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
      out = out.replaceAll("(?<![A-Za-z0-9_$])" + name + "(?![A-Za-z0-9_])", java.util.regex.Matcher.quoteReplacement("$" + name));
    }
    return out;
  }

  private static String kind(Object entry) {
    Map<String, Object> m = entry instanceof JsonNode n ? Extends.mapping(JSON.convertValue(n, Map.class)) : Extends.mapping(entry);
    return m.keySet().stream().filter(k -> !k.equals("file") && !k.equals("token")).findFirst().orElse("no aws_secrets_manager key");
  }

  /** What GitLab would tell the runner about the job, as far as the options and the file say. */
  private TrustedJobInfo trusted(CiJob job) {
    return new TrustedJobInfo(0, "", options.project().orElse(""), "", "", options.ref().orElse(""),
        options.ref().isPresent() ? options.refType() : "", options.protectedRef(), environment(job), Optional.empty());
  }

  /** The job's environment name when the file states it literally. */
  private static Optional<String> environment(CiJob job) {
    Object env = job.config().get("environment");
    Object name = env instanceof Map<?, ?> m ? m.get("name") : env;
    return name instanceof String s && !s.isBlank() && !s.contains("$") ? Optional.of(s) : Optional.empty();
  }

  private record Context(DefinitionParser parser, Map<String, String> written, TrustedJobInfo trusted) {}
}
