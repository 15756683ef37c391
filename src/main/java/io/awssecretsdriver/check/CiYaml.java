package io.awssecretsdriver.check;

import io.awssecretsdriver.failure.DriverException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a {@code .gitlab-ci.yml} with SnakeYAML's safe constructor: plain YAML with anchors, aliases
 * and merge keys, plus GitLab's {@code !reference} tag; no other tag builds anything. A header
 * document holding only {@code spec:} (CI/CD inputs) is skipped, as GitLab does.
 */
final class CiYaml {
  static final int MAX_ALIASES = 500;
  static final int MAX_DEPTH = 100;
  static final int MAX_CODE_POINTS = 8 * 1024 * 1024;
  /** Values after aliases are expanded: far above any real CI file, far below an alias bomb. */
  static final long MAX_NODES = 1_000_000;

  private CiYaml() {}

  static Map<String, Object> load(String source, String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true); // as GitLab: the last one wins
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setNestingDepthLimit(MAX_DEPTH);
    options.setCodePointLimit(MAX_CODE_POINTS);
    options.setAllowRecursiveKeys(false);
    List<Object> documents = new ArrayList<>();
    try {
      new Yaml(new CiConstructor(options)).loadAll(text).forEach(documents::add);
    } catch (MarkedYAMLException e) {
      throw DriverException.user(source + " is not valid YAML (line " + (e.getProblemMark().getLine() + 1) + ", column "
          + (e.getProblemMark().getColumn() + 1) + "): " + e.getProblem() + ".");
    } catch (YAMLException e) {
      throw DriverException.user(source + " is not valid YAML: " + firstLine(e.getMessage()) + ".");
    }
    if (documents.size() == 2 && documents.get(0) instanceof Map<?, ?> header && header.keySet().equals(java.util.Set.of("spec"))) {
      documents.remove(0);
    }
    if (documents.size() > 1) {
      throw DriverException.user(source + " holds " + documents.size() + " YAML documents: GitLab reads one, optionally after a "
          + "header document with only `spec:`.");
    }
    Object root = documents.isEmpty() ? null : documents.get(0);
    if (expandedSize(root, new java.util.IdentityHashMap<>()) > MAX_NODES) {
      throw DriverException.user(source + " expands to more than " + MAX_NODES + " values through its aliases: it is not a CI file "
          + "GitLab would accept; reuse less through anchors.");
    }
    if (root == null) {
      return new LinkedHashMap<>();
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw DriverException.user(source + " must be a YAML mapping of jobs and keywords.");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  /**
   * The number of values the tree holds once every alias is expanded, counted on the shared nodes
   * (so an alias bomb costs its size in the file, not its expansion) and capped just past the limit.
   * A value that contains itself counts as too large.
   */
  private static long expandedSize(Object node, java.util.IdentityHashMap<Object, Long> known) {
    if (!(node instanceof Map || node instanceof List)) {
      return 1;
    }
    Long seen = known.get(node);
    if (seen != null) {
      return seen;
    }
    known.put(node, MAX_NODES + 1); // in progress: meeting it again below means it contains itself
    long size = 1;
    Iterable<?> children = node instanceof Map<?, ?> m ? m.values() : (List<?>) node;
    for (Object child : children) {
      size = Math.min(MAX_NODES + 1, size + expandedSize(child, known));
    }
    known.put(node, size);
    return size;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable input";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** The safe constructor with {@code !reference} building a {@link CiReference}. */
  private static final class CiConstructor extends SafeConstructor {
    CiConstructor(LoaderOptions options) {
      super(options);
      yamlConstructors.put(new Tag("!reference"), new AbstractConstruct() {
        @Override
        public Object construct(Node node) {
          if (!(node instanceof SequenceNode sequence)) {
            throw new YAMLException("!reference needs a sequence such as [.template, key] (line " + (node.getStartMark().getLine() + 1) + ")");
          }
          List<String> path = new ArrayList<>();
          for (Object item : constructSequence(sequence)) {
            if (!(item instanceof String || item instanceof Number || item instanceof Boolean)) {
              throw new YAMLException("!reference takes names only (line " + (node.getStartMark().getLine() + 1) + ")");
            }
            path.add(String.valueOf(item));
          }
          if (path.isEmpty()) {
            throw new YAMLException("!reference needs at least one name (line " + (node.getStartMark().getLine() + 1) + ")");
          }
          return new CiReference(path);
        }
      });
    }
  }
}
