package io.awssecretsdriver.robustness;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/** Thread-safe named counters for the one summary line a suite prints at its end. */
final class Tally {
  private final Map<String, AtomicLong> counts = new ConcurrentSkipListMap<>();

  void add(String name) {
    add(name, 1);
  }

  void add(String name, long n) {
    counts.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(n);
  }

  long get(String name) {
    AtomicLong c = counts.get(name);
    return c == null ? 0 : c.get();
  }

  /** {@code a 1, b 2} for the names with the given prefix, prefix removed, in name order. */
  String group(String prefix) {
    Map<String, Long> g = new TreeMap<>();
    counts.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        g.put(k.substring(prefix.length()), v.get());
      }
    });
    return g.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
  }

  long sum(String prefix) {
    return counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(e -> e.getValue().get()).sum();
  }
}
