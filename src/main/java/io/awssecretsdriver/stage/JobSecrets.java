package io.awssecretsdriver.stage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.awssecretsdriver.config.DriverConfig;
import io.awssecretsdriver.definition.DefinitionParser;
import io.awssecretsdriver.definition.Definitions;
import io.awssecretsdriver.definition.DefinitionsVariable;
import io.awssecretsdriver.definition.Origin;
import io.awssecretsdriver.definition.SecretDefinition;
import io.awssecretsdriver.job.JobEnvironment;
import io.awssecretsdriver.job.JobPayload;
import io.awssecretsdriver.job.JobVariable;
import io.awssecretsdriver.job.JobVariables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job's AWS secret definitions from both sources, the {@code secrets:} keyword and the definitions
 * variable, with what the runner already resolved set aside.
 */
record JobSecrets(List<SecretDefinition> definitions, List<String> problems, List<String> resolvedByRunner) {

  static JobSecrets read(JobPayload payload, JobEnvironment env, DriverConfig config) {
    Map<String, String> runnerValues = env.customVariables();
    JobVariables payloadVariables = JobVariables.of(payload.variables());
    JobVariables variables = payloadVariables.overriddenBy(runnerValues);
    DefinitionParser parser = new DefinitionParser(variables);

    Definitions keyword = parser.parse(payload.secrets(), Origin.SECRETS_KEYWORD);
    List<String> problems = new ArrayList<>(keyword.problems());
    List<SecretDefinition> all = new ArrayList<>(keyword.valid());

    DriverConfig.DefinitionsVariableSetting setting = config.definitionsVariable();
    Optional<String> yaml = setting.enabled() ? definitionsText(setting.name(), payload, runnerValues) : Optional.empty();
    if (yaml.isPresent()) {
      ObjectNode tree = DefinitionsVariable.parse(setting.name(), yaml.get(), setting.maxBytes());
      tree.fieldNames().forEachRemaining(name -> {
        if (payload.secrets().has(name)) {
          problems.add("Secret \"" + name + "\" is defined both under `secrets:` and in " + setting.name() + ": keep one of them.");
        }
      });
      payload.secrets().fieldNames().forEachRemaining(tree::remove);
      Definitions fromVariable = parser.parse(tree, Origin.DEFINITIONS_VARIABLE);
      problems.addAll(fromVariable.problems().stream().map(p -> p + " (in " + setting.name() + ")").toList());
      all.addAll(fromVariable.valid());
    }

    List<SecretDefinition> toResolve = new ArrayList<>();
    List<String> resolved = new ArrayList<>();
    for (SecretDefinition d : all) {
      if (resolvedByRunner(d.variable(), payloadVariables, runnerValues)) {
        resolved.add(d.variable());
      } else {
        toResolve.add(d);
      }
    }
    return new JobSecrets(toResolve, problems, resolved);
  }

  /**
   * A runner with its own AWS resolver (18.3+) passes the value as {@code CUSTOM_ENV_NAME} but never
   * puts it in the payload's variables; a CI variable of the same name shows there with the same value.
   */
  static boolean resolvedByRunner(String name, JobVariables payloadVariables, Map<String, String> runnerValues) {
    String runnerValue = runnerValues.get(name);
    if (runnerValue == null) {
      return false;
    }
    return payloadVariables.value(name).map(v -> !v.equals(runnerValue)).orElse(true);
  }

  /** The variable's text as written (the payload's raw value), so that {@code token: $X} stays a reference. */
  private static Optional<String> definitionsText(String name, JobPayload payload, Map<String, String> runnerValues) {
    Optional<String> raw = Optional.empty();
    for (JobVariable v : payload.variables()) {
      if (v.key().equals(name)) {
        raw = Optional.of(v.value());
      }
    }
    return raw.or(() -> Optional.ofNullable(runnerValues.get(name))).filter(s -> !s.isBlank());
  }

  /** True when the runner's script will export a CI variable of this name over the driver's value. */
  static boolean collides(String name, JobPayload payload, JobEnvironment env) {
    return payload.variables().stream().anyMatch(v -> v.key().equals(name)) || env.customVariables().containsKey(name);
  }
}
