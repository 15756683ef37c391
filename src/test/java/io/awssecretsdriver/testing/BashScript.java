package io.awssecretsdriver.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A stage script in the shape GitLab Runner generates for bash: the TERM trap, errexit and pipefail,
 * and one {@code : | eval $'...'} body that exports every job variable (file variables written with
 * printf '%s'), sources GITLAB_ENV, changes to the project directory and runs the commands.
 */
public final class BashScript {
  private BashScript() {}

  public static String generate(Map<String, String> variables, Map<String, Boolean> fileVariables, String projectDir,
      List<String> commands) {
    StringBuilder body = new StringBuilder();
    String tmpProjectDir = projectDir + ".tmp";
    variables.forEach((k, v) -> {
      if (fileVariables.getOrDefault(k, false)) {
        body.append("mkdir -p \"").append(tmpProjectDir).append("\"\n");
        body.append("printf '%s' ").append(escape(v)).append(" > \"").append(tmpProjectDir).append('/').append(k).append("\"\n");
        body.append("export ").append(k).append("=\"").append(tmpProjectDir).append('/').append(k).append("\"\n");
      } else {
        body.append("export ").append(k).append('=').append(escape(v)).append('\n');
      }
    });
    body.append("export GITLAB_ENV=").append(tmpProjectDir).append("/gitlab_runner_env\n");
    body.append("mkdir -p \"").append(tmpProjectDir).append("\"\n");
    body.append("touch \"").append(tmpProjectDir).append("/gitlab_runner_env\"\n");
    body.append("while read -r line; do export \"$line\"; done < \"").append(tmpProjectDir).append("/gitlab_runner_env\"\n");
    body.append("mkdir -p ").append(escape(projectDir)).append("\ncd ").append(escape(projectDir)).append('\n');
    for (String c : commands) {
      body.append("echo ").append(escape("$ " + c)).append('\n').append(c).append('\n');
    }
    return "#!/usr/bin/env bash\n\ntrap exit 1 TERM\n\n"
        + "if set -o | grep pipefail > /dev/null; then set -o pipefail; fi; set -o errexit\n"
        + "set +o noclobber\n"
        + ": | eval " + escape(body.toString()) + "\n"
        + "exit 0\n";
  }

  /** Bash quoting as the runner's ShellEscape does: bare when safe, else $'...' with escapes. */
  public static String escape(String s) {
    if (s.isEmpty()) {
      return "''";
    }
    if (s.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || ",-./@_".indexOf(c) >= 0)) {
      return s;
    }
    StringBuilder out = new StringBuilder("$'");
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\'' -> out.append("\\'");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c >= 0x7f) {
            out.append(String.format("\\x%02x", c));
          } else {
            out.append((char) c);
          }
        }
      }
    }
    return out.append('\'').toString();
  }
}
