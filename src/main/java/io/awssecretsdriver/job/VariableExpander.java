package io.awssecretsdriver.job;

import java.util.function.Function;

/**
 * Expands {@code $NAME} and {@code ${NAME}} the way GitLab Runner does (Go's {@code os.Expand} with
 * the runner's mapping): one pass, never recursive, so a reference loop cannot hang; unknown names
 * become empty; {@code $$} is a literal dollar; shell specials ({@code $1}, {@code $?}) become empty.
 */
public final class VariableExpander {
  private VariableExpander() {}

  public static String expand(String text, Function<String, String> lookup) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '$' || i + 1 >= text.length()) {
        out.append(c);
        i++;
        continue;
      }
      Reference ref = Reference.at(text, i + 1);
      if (ref.name().isEmpty()) {
        if (ref.width() == 0) {
          out.append('$'); // a dollar not followed by a name stays as it is
        }
        // otherwise bad syntax such as "${" or "${}": eaten, as the runner does
      } else {
        out.append(valueOf(ref.name(), lookup));
      }
      i += 1 + ref.width();
    }
    return out.toString();
  }

  private static String valueOf(String name, Function<String, String> lookup) {
    if (name.equals("$")) {
      return "$";
    }
    if (name.length() == 1 && "*#@!?0123456789".indexOf(name.charAt(0)) >= 0) {
      return ""; // GitLab Runner's JobVariables.Get: shell specials expand to nothing
    }
    String value = lookup.apply(name);
    return value == null ? "" : value;
  }

  static boolean isShellSpecial(char c) {
    return "*#$@!?-".indexOf(c) >= 0 || (c >= '0' && c <= '9');
  }

  static boolean isNameChar(char c) {
    return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** The name after a dollar and how many characters it spans. */
  private record Reference(String name, int width) {
    static Reference at(String s, int from) {
      char first = s.charAt(from);
      if (first == '{') {
        if (s.length() > from + 2 && isShellSpecial(s.charAt(from + 1)) && s.charAt(from + 2) == '}') {
          return new Reference(s.substring(from + 1, from + 2), 3);
        }
        int close = s.indexOf('}', from + 1);
        if (close < 0) {
          return new Reference("", 1);
        }
        if (close == from + 1) {
          return new Reference("", 2);
        }
        return new Reference(s.substring(from + 1, close), close - from + 1);
      }
      if (isShellSpecial(first)) {
        return new Reference(s.substring(from, from + 1), 1);
      }
      int end = from;
      while (end < s.length() && isNameChar(s.charAt(end))) {
        end++;
      }
      return new Reference(s.substring(from, end), end - from);
    }
  }
}
