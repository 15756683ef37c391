package io.awssecretsdriver.check;

import io.awssecretsdriver.job.JobVariable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code variables:} mapping as GitLab accepts it: a string or number per name, or a mapping with
 * {@code value:} (and {@code expand: false} for a raw value, {@code description:}, {@code options:}).
 */
final class Variables {
  private Variables() {}

  static List<JobVariable> of(Object node) {
    List<JobVariable> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    if (!(node instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("must be a mapping of variable names to values, found " + Yamls.describe(node) + ".");
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      Object v = e.getValue();
      if (v instanceof Map<?, ?> spec) {
        Object value = spec.get("value");
        if (value != null && !scalar(value)) {
          throw new IllegalArgumentException("variable " + key + ": `value` must be a string or a number.");
        }
        boolean raw = Boolean.FALSE.equals(spec.get("expand"));
        out.add(new JobVariable(key, value == null ? "" : String.valueOf(value), raw, false, false));
      } else if (v == null || scalar(v)) {
        out.add(new JobVariable(key, v == null ? "" : String.valueOf(v), false, false, false));
      } else {
        throw new IllegalArgumentException("variable " + key + " must be a string, a number, or a mapping with `value:`, found "
            + Yamls.describe(v) + ".");
      }
    }
    return out;
  }

  private static boolean scalar(Object v) {
    return v instanceof String || v instanceof Number || v instanceof Boolean;
  }
}
