package io.awssecretsdriver.check;

import java.util.List;
import java.util.Map;

/** How a YAML value is named in messages: its kind, or a short quoted scalar. */
final class Yamls {
  private Yamls() {}

  static String describe(Object v) {
    if (v == null) {
      return "nothing";
    }
    if (v instanceof Map) {
      return "a mapping";
    }
    if (v instanceof List) {
      return "a list";
    }
    if (v instanceof CiReference r) {
      return r.toString();
    }
    String s = String.valueOf(v).replaceAll("\\p{Cntrl}", "?");
    return "'" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "'";
  }
}
