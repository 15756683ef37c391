package io.awssecretsdriver.policy;

import io.awssecretsdriver.job.TrustedJobInfo;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A secret-name pattern: {@code *} is any run of characters but '/', {@code **} any run at all,
 * {@code ?} one character but '/'. Placeholder values are taken literally, so a project path can
 * never widen a pattern.
 */
final class Glob {
  private Glob() {}

  /**
   * The pattern for this job. A placeholder the job has no trusted value for makes an allow pattern
   * match nothing (empty) and a deny pattern match any value there: both the safe side.
   */
  static Optional<Pattern> compile(String pattern, TrustedJobInfo job, Effect effect) {
    Optional<String> missing = effect == Effect.DENY ? Optional.of(".+") : Optional.empty();
    return Placeholders.fill(pattern, job, Map.of(), Pattern::quote, Glob::toRegex, missing).map(Pattern::compile);
  }

  static String toRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
          re.append(".*");
          i++;
        } else {
          re.append("[^/]*");
        }
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }
}
