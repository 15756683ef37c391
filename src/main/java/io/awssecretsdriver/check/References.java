package io.awssecretsdriver.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces {@code !reference} tags by the values they point to, looked up in the file after
 * {@code extends:} is applied, as GitLab does; a referenced value may hold references itself, up to
 * {@value #MAX_DEPTH} levels.
 */
final class References {
  static final int MAX_DEPTH = 10;

  private final Map<String, Object> root;

  References(Map<String, Object> root) {
    this.root = root;
  }

  /** The value with every reference replaced; a broken reference throws with a message naming it. */
  Object resolve(Object value) {
    return resolve(value, new ArrayList<>());
  }

  private Object resolve(Object value, List<CiReference> seen) {
    if (value instanceof CiReference ref) {
      if (seen.contains(ref)) {
        throw new IllegalArgumentException(ref + " refers back to itself.");
      }
      if (seen.size() >= MAX_DEPTH) {
        throw new IllegalArgumentException(ref + " nests more than " + MAX_DEPTH + " !reference levels.");
      }
      List<CiReference> deeper = new ArrayList<>(seen);
      deeper.add(ref);
      return resolve(lookup(ref), deeper);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), resolve(v, seen)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(resolve(v, seen)));
      return out;
    }
    return value;
  }

  private Object lookup(CiReference ref) {
    Object at = root;
    for (String key : ref.path()) {
      if (!(at instanceof Map<?, ?> map) || !map.containsKey(key)) {
        throw new IllegalArgumentException(ref + " points to nothing in this file (check does not read included files): fix "
            + "the path.");
      }
      at = map.get(key);
    }
    return at;
  }
}
