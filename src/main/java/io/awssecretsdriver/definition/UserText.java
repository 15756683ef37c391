package io.awssecretsdriver.definition;

/** User-written text made fit for one line of a message: control characters as '?', length bounded. */
final class UserText {
  private UserText() {}

  static String clean(String text, int max) {
    String t = String.valueOf(text);
    return (t.length() > max ? t.substring(0, max) + "..." : t).replaceAll("\\p{Cntrl}", "?");
  }
}
