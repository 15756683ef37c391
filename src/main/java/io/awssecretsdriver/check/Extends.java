package io.awssecretsdriver.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GitLab's {@code extends:}: a job (or template) is the deep merge of its bases, in the order listed,
 * then of its own keys. Mappings merge key by key, the extending side winning; anything else,
 * lists included, is replaced whole. Up to {@value #MAX_DEPTH} levels, no cycles, every base a
 * mapping of this file.
 */
final class Extends {
  static final int MAX_DEPTH = 11;

  private final Map<String, Object> top;
  private final Map<String, Extended> done = new HashMap<>();

  Extends(Map<String, Object> top) {
    this.top = top;
  }

  /** A top-level entry with its bases merged in and how many levels it extends, or why it cannot be. */
  record Extended(Map<String, Object> config, int depth, Optional<String> problem) {}

  Extended of(String name) {
    return resolve(name, new ArrayList<>());
  }

  private Extended resolve(String name, List<String> path) {
    Extended known = done.get(name);
    if (known != null) {
      return known;
    }
    Map<String, Object> own = mapping(top.get(name));
    List<String> bases;
    try {
      bases = bases(own.get("extends"));
    } catch (IllegalArgumentException e) {
      return remember(name, failed(own, e.getMessage()));
    }
    if (bases.isEmpty()) {
      return remember(name, new Extended(own, 0, Optional.empty()));
    }
    List<String> chain = new ArrayList<>(path);
    chain.add(name);
    Map<String, Object> merged = new LinkedHashMap<>();
    int depth = 0;
    for (String base : bases) {
      if (chain.contains(base)) {
        // depends on where the walk started, so not remembered
        return failed(own, "circular dependency detected in `extends` (" + String.join(" -> ", chain) + " -> " + base
            + "): remove one of the links.");
      }
      if (!top.containsKey(base)) {
        return remember(name, failed(own, "unknown key in `extends` ('" + base + "' is not defined in this file, and check does "
            + "not read included files): fix the name, or define the template here."));
      }
      if (!(top.get(base) instanceof Map)) {
        return remember(name, failed(own, "invalid base in `extends`: '" + base + "' is not a mapping."));
      }
      Extended b = resolve(base, chain);
      if (b.problem().isPresent()) {
        return failed(own, b.problem().get());
      }
      merged = deepMerge(merged, b.config());
      depth = Math.max(depth, b.depth() + 1);
    }
    if (depth > MAX_DEPTH) {
      return remember(name, failed(own, "nesting too deep in `extends`: '" + name + "' extends through " + depth
          + " levels, and GitLab allows " + MAX_DEPTH + ": flatten the templates."));
    }
    return remember(name, new Extended(deepMerge(merged, own), depth, Optional.empty()));
  }

  private Extended remember(String name, Extended e) {
    done.put(name, e);
    return e;
  }

  private static Extended failed(Map<String, Object> own, String problem) {
    return new Extended(own, 0, Optional.of(problem));
  }

  private static List<String> bases(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof String s) {
      return List.of(s);
    }
    if (value instanceof List<?> list) {
      List<String> out = new ArrayList<>();
      for (Object o : list) {
        if (!(o instanceof String s)) {
          throw new IllegalArgumentException("`extends` must be a template name or a list of names, found " + Yamls.describe(o) + ".");
        }
        out.add(s);
      }
      return out;
    }
    throw new IllegalArgumentException("`extends` must be a template name or a list of names, found " + Yamls.describe(value) + ".");
  }

  /** GitLab's deep_merge: mappings merge recursively, the override's keys win, everything else is replaced. */
  static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> override) {
    Map<String, Object> out = new LinkedHashMap<>(base);
    override.forEach((k, v) -> {
      Object mine = out.get(k);
      if (mine instanceof Map<?, ?> && v instanceof Map<?, ?>) {
        out.put(k, deepMerge(mapping(mine), mapping(v)));
      } else {
        out.put(k, v);
      }
    });
    return out;
  }

  static Map<String, Object> mapping(Object value) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(String.valueOf(k), v));
    }
    return out;
  }
}
