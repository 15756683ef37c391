package io.awssecretsdriver.execution;

import java.util.List;
import java.util.Optional;

/**
 * Keeps a secret's value when the runner's script exports a CI variable of the same name over it
 * (GitLab's rule: the secret wins). The script's exports are plain {@code export} calls, and in
 * bash a function takes precedence over a builtin, so a function loaded through BASH_ENV skips
 * assignments to the guarded names and passes everything else to the builtin. It holds names only.
 */
public final class ExportGuard {
  private ExportGuard() {}

  public static String script(List<String> guardedNames, Optional<String> previousBashEnv) {
    StringBuilder s = new StringBuilder();
    s.append("# gitlab-aws-secrets-driver: secrets win over CI variables of the same name\n");
    s.append("__aws_secrets_guarded=' ").append(String.join(" ", guardedNames)).append(" '\n");
    s.append("""
        export() {
          if [ "$#" -eq 0 ]; then builtin export; return; fi
          local __a __keep=()
          for __a in "$@"; do
            case "$__a" in
              *=*) case "$__aws_secrets_guarded" in *" ${__a%%=*} "*) continue ;; esac ;;
            esac
            __keep+=("$__a")
          done
          if [ "${#__keep[@]}" -gt 0 ]; then builtin export "${__keep[@]}"; fi
        }
        """);
    previousBashEnv.ifPresent(p -> s.append("if [ -f '").append(p.replace("'", "'\\''")).append("' ]; then . '")
        .append(p.replace("'", "'\\''")).append("'; fi\n"));
    return s.toString();
  }
}
