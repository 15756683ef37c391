package io.awssecretsdriver.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.awssecretsdriver.failure.DriverException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Definitions given in one CI variable as YAML, in the {@code secrets:} syntax of GitLab's page, for
 * GitLab Free (no {@code secrets:} keyword) and runners that do not resolve AWS secrets themselves.
 */
public final class DefinitionsVariable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_DEPTH = 8;

  private DefinitionsVariable() {}

  /** Parses the variable's YAML into the same tree shape as the payload's {@code secrets} object. */
  public static ObjectNode parse(String variable, String yaml, int maxBytes) {
    int size = yaml.getBytes(StandardCharsets.UTF_8).length;
    if (size > maxBytes) {
      throw DriverException.user(variable + " is " + size + " bytes, more than the " + maxBytes + " this runner accepts: define fewer secrets per job, or ask the runner admin to raise definitions_variable.max_bytes.");
    }
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(20);
    options.setNestingDepthLimit(MAX_DEPTH);
    options.setCodePointLimit(maxBytes);
    options.setAllowRecursiveKeys(false);
    Object tree;
    try {
      tree = new Yaml(new SafeConstructor(options)).load(yaml);
    } catch (MarkedYAMLException e) {
      throw DriverException.user(variable + " is not valid YAML (line " + (e.getProblemMark().getLine() + 1) + ", column " + (e.getProblemMark().getColumn() + 1) + "): " + e.getProblem() + ".");
    } catch (YAMLException e) {
      throw DriverException.user(variable + " is not valid YAML: " + firstLine(e.getMessage()) + ".");
    }
    if (tree == null) {
      return JSON.createObjectNode();
    }
    if (!(tree instanceof Map<?, ?> map)) {
      throw DriverException.user(variable + " must be a YAML mapping of variable names to definitions, as under `secrets:`.");
    }
    for (Object key : map.keySet()) {
      if (!(key instanceof String)) {
        throw DriverException.user(variable + ": every key must be a variable name (a string), found " + key + ".");
      }
    }
    JsonNode node = JSON.valueToTree(map);
    return (ObjectNode) node;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable input";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
