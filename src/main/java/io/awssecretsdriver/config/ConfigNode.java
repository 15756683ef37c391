package io.awssecretsdriver.config;

import io.awssecretsdriver.failure.DriverException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One mapping of the driver config with typed, validated reads. Every error names the key by its
 * full path; keys never read are reported as unknown, so typos do not pass silently.
 */
final class ConfigNode {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

  private final String source;
  private final String path;
  private final Map<?, ?> values;
  private final Set<String> read = new HashSet<>();

  ConfigNode(String source, String path, Map<?, ?> values) {
    this.source = source;
    this.path = path;
    this.values = values;
  }

  private Object raw(String key) {
    read.add(key);
    return values.get(key);
  }

  String key(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  DriverException error(String key, String rule) {
    return DriverException.system("Driver config " + source + ": '" + key(key) + "' " + rule);
  }

  Optional<String> string(String key) {
    Object v = raw(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s)) {
      throw error(key, "must be a string, found " + describe(v) + ".");
    }
    return s.isBlank() ? Optional.empty() : Optional.of(s.trim());
  }

  String string(String key, String fallback) {
    return string(key).orElse(fallback);
  }

  boolean bool(String key, boolean fallback) {
    return optionalBool(key).orElse(fallback);
  }

  Optional<Boolean> optionalBool(String key) {
    Object v = raw(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Boolean b)) {
      throw error(key, "must be true or false, found " + describe(v) + ".");
    }
    return Optional.of(b);
  }

  int integer(String key, int fallback, int min, int max) {
    Object v = raw(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Integer i) || i < min || i > max) {
      throw error(key, "must be a whole number from " + min + " to " + max + ", found " + describe(v) + ".");
    }
    return i;
  }

  Duration duration(String key, Duration fallback, Duration min, Duration max) {
    Object v = raw(key);
    if (v == null) {
      return fallback;
    }
    Matcher m = DURATION.matcher(String.valueOf(v).trim());
    if (!(v instanceof String || v instanceof Integer) || !m.matches()) {
      throw error(key, "must be a duration such as 500ms, 30s, 2m or 1h, found " + describe(v) + ".");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    Duration d = switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw error(key, "must be between " + min.toMillis() + " ms and " + max.toSeconds() + " s, found " + v + ".");
    }
    return d;
  }

  Optional<ConfigNode> child(String key) {
    Object v = raw(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Map<?, ?> map)) {
      throw error(key, "must be a mapping, found " + describe(v) + ".");
    }
    return Optional.of(new ConfigNode(source, key(key), map));
  }

  ConfigNode childOrEmpty(String key) {
    return child(key).orElseGet(() -> new ConfigNode(source, key(key), Map.of()));
  }

  List<Object> list(String key) {
    Object v = raw(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      throw error(key, "must be a list, found " + describe(v) + ".");
    }
    return new ArrayList<>(list);
  }

  List<String> strings(String key) {
    List<String> out = new ArrayList<>();
    List<Object> items = list(key);
    for (int i = 0; i < items.size(); i++) {
      if (!(items.get(i) instanceof String s) || s.isBlank()) {
        throw error(key, "item " + (i + 1) + " must be a non-empty string.");
      }
      out.add(s.trim());
    }
    return out;
  }

  ConfigNode item(String key, int index, Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      throw error(key, "item " + (index + 1) + " must be a mapping, found " + describe(value) + ".");
    }
    return new ConfigNode(source, key(key) + "[" + (index + 1) + "]", map);
  }

  /** Fails on any key that no read asked for. Call after reading every key of this mapping. */
  void rejectUnknown() {
    for (Object k : values.keySet()) {
      if (!read.contains(String.valueOf(k))) {
        throw DriverException.system("Driver config " + source + ": unknown key '" + key(String.valueOf(k)) + "'. See README.md, section 'Driver configuration', for the keys.");
      }
    }
  }

  private static String describe(Object v) {
    if (v instanceof Map) {
      return "a mapping";
    }
    if (v instanceof List) {
      return "a list";
    }
    return "'" + v + "'";
  }
}
