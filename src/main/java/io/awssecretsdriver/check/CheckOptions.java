package io.awssecretsdriver.check;

import io.awssecretsdriver.failure.DriverException;
import io.awssecretsdriver.job.JobVariable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code check FILE [--job NAME] [--project PATH] [--ref REF] [--ref-type branch|tag] [--protected]
 * [--var NAME=VALUE]... [--resolve]}. The project, ref and protection stand in for what GitLab tells
 * the runner about a real job; {@code --var} for project and group CI/CD variables, which the file
 * does not show.
 */
public record CheckOptions(
    Path file,
    Optional<String> job,
    Optional<String> project,
    Optional<String> ref,
    String refType,
    boolean protectedRef,
    List<JobVariable> variables,
    boolean resolve) {

  static final String USAGE = "check FILE [--job NAME] [--project GROUP/PROJECT] [--ref REF] [--ref-type branch|tag] "
      + "[--protected] [--var NAME=VALUE]... [--resolve]";

  public CheckOptions {
    variables = List.copyOf(variables);
  }

  /** True when the caller said anything about the job's project or ref, so that "not protected" is meant. */
  boolean describesRef() {
    return project.isPresent() || ref.isPresent() || protectedRef;
  }

  public static CheckOptions parse(List<String> args) {
    Path file = null;
    Optional<String> job = Optional.empty();
    Optional<String> project = Optional.empty();
    Optional<String> ref = Optional.empty();
    String refType = "branch";
    boolean protectedRef = false;
    boolean resolve = false;
    List<JobVariable> variables = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--job" -> job = Optional.of(value(args, ++i, a));
        case "--project" -> project = Optional.of(value(args, ++i, a).replaceAll("^/+|/+$", ""));
        case "--ref" -> ref = Optional.of(value(args, ++i, a));
        case "--ref-type" -> {
          refType = value(args, ++i, a);
          if (!refType.equals("branch") && !refType.equals("tag")) {
            throw usage("--ref-type must be 'branch' or 'tag', found '" + refType + "'.");
          }
        }
        case "--protected" -> protectedRef = true;
        case "--resolve" -> resolve = true;
        case "--var" -> {
          String v = value(args, ++i, a);
          int eq = v.indexOf('=');
          if (eq <= 0) {
            throw usage("--var takes NAME=VALUE, found '" + v + "'.");
          }
          variables.add(new JobVariable(v.substring(0, eq), v.substring(eq + 1), false, false, false));
        }
        default -> {
          if (a.startsWith("--") || file != null) {
            throw usage("unexpected argument '" + a + "'.");
          }
          file = Path.of(a);
        }
      }
    }
    if (file == null) {
      throw usage("no file given.");
    }
    return new CheckOptions(file, job, project, ref, refType, protectedRef, variables, resolve);
  }

  private static String value(List<String> args, int i, String flag) {
    if (i >= args.size()) {
      throw usage(flag + " needs a value.");
    }
    return args.get(i);
  }

  private static DriverException usage(String problem) {
    return DriverException.system("check: " + problem + " usage: aws-secrets-driver " + USAGE);
  }
}
