package io.awssecretsdriver.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.awssecretsdriver.failure.DriverException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
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
  /** Nodes built directly: an ObjectMapper would add about 40 ms to prepare's start-up. */
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
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
      throw DriverException.user(variable + " is not valid YAML (line " + (e.getProblemMark().getLine() + 1) + ", column " + (e.getProblemMark().getColumn() + 1) + "): " + printable(e.getProblem()) + ".");
    } catch (YAMLException e) {
      throw DriverException.user(variable + " is not valid YAML: " + printable(firstLine(e.getMessage())) + ".");
    } catch (StackOverflowError e) {
      // a key that holds an alias to itself: hashing it never ends (setAllowRecursiveKeys only sees direct recursion)
      throw DriverException.user(variable + " refers to itself through a YAML alias (&name, *name): write the definitions out without aliases.");
    } catch (RuntimeException e) {
      // SafeConstructor lets some tag errors through unwrapped, e.g. !!binary with non-base64 text.
      throw DriverException.user(variable + " is not valid YAML: a tagged value cannot be read (" + e.getClass().getSimpleName()
          + "); remove YAML tags such as !!binary.");
    }
    if (tree == null) {
      return NODES.objectNode();
    }
    if (!(tree instanceof Map<?, ?> map)) {
      throw DriverException.user(variable + " must be a YAML mapping of variable names to definitions, as under `secrets:`.");
    }
    for (Object key : map.keySet()) {
      if (!(key instanceof String)) {
        throw DriverException.user(variable + ": every key must be a variable name (a string), found a " + (key == null ? "null" : key instanceof Map ? "mapping" : key instanceof java.util.List ? "list" : key.getClass().getSimpleName()) + ".");
      }
    }
    return (ObjectNode) toJson(variable, map, 0);
  }

  /** The tree as JSON, bounded in depth: an alias that refers to itself (&x {a: *x}) would never end. */
  private static JsonNode toJson(String variable, Object value, int depth) {
    if (depth > MAX_DEPTH) {
      throw DriverException.user(variable + " nests deeper than " + MAX_DEPTH + " levels or refers to itself through a YAML alias (&name, *name): write the definitions out without aliases.");
    }
    if (value instanceof Map<?, ?> m) {
      ObjectNode o = NODES.objectNode();
      m.forEach((k, v) -> o.set(String.valueOf(k), toJson(variable, v, depth + 1)));
      return o;
    }
    if (value instanceof Collection<?> || value instanceof Object[]) { // lists, !!set, !!pairs
      ArrayNode a = NODES.arrayNode();
      (value instanceof Object[] array ? Arrays.asList(array) : (Collection<?>) value).forEach(v -> a.add(toJson(variable, v, depth + 1)));
      return a;
    }
    return scalar(value);
  }

  /** SafeConstructor's scalars as ObjectMapper.valueToTree writes them. */
  private static JsonNode scalar(Object value) {
    if (value == null) {
      return NODES.nullNode();
    } else if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    } else if (value instanceof Integer i) {
      return NODES.numberNode(i);
    } else if (value instanceof Long l) {
      return NODES.numberNode(l);
    } else if (value instanceof BigInteger b) {
      return NODES.numberNode(b);
    } else if (value instanceof Double d) {
      return NODES.numberNode(d);
    } else if (value instanceof byte[] bytes) {
      return NODES.binaryNode(bytes);
    } else if (value instanceof Date date) {
      return NODES.numberNode(date.getTime());
    }
    return NODES.textNode(String.valueOf(value));
  }

  private static String printable(String text) {
    return UserText.clean(text, 200);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable input";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
