package io.awssecretsdriver.check;

import io.awssecretsdriver.config.DriverConfig;
import io.awssecretsdriver.failure.DriverException;
import io.awssecretsdriver.resolution.PlannedSecret;
import io.awssecretsdriver.resolution.Resolver;
import io.awssecretsdriver.resolution.SecretOutcome;
import io.awssecretsdriver.resolution.SecretStore;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code check FILE ...}: validates the aws_secrets_manager secrets of a {@code .gitlab-ci.yml}
 * before a pipeline runs, with the rules prepare applies, and with {@code --resolve} fetches each one
 * the runner manager may read, showing only its size and a SHA-256 prefix. Exit 0 when nothing
 * failed, {@value #FAILED} otherwise.
 */
public final class CheckCommand {
  public static final int FAILED = 1;
  /** Enough of the digest to compare with {@code sha256sum}, too little to matter. */
  static final int DIGEST_CHARS = 12;

  private final DriverConfig config;
  private final PrintStream out;
  private final Function<DriverConfig, SecretStore> stores;

  public CheckCommand(DriverConfig config, PrintStream out, Function<DriverConfig, SecretStore> stores) {
    this.config = config;
    this.out = out;
    this.stores = stores;
  }

  public int run(List<String> args) {
    CheckOptions options = CheckOptions.parse(args);
    CiFile file = CiFile.read(options.file());
    List<CiJob> jobs = selected(file, options);
    JobCheck check = new JobCheck(config, options);
    Map<CiJob, List<Finding>> findings = new LinkedHashMap<>();
    for (CiJob job : jobs) {
      findings.put(job, new ArrayList<>(check.check(job)));
    }
    if (options.resolve()) {
      resolve(findings);
    }

    Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
    file.notes().forEach(n -> out.println(Finding.of(Verdict.NOTE, n).line()));
    file.problems().forEach(p -> out.println(Finding.of(Verdict.FAIL, p).line()));
    counts.merge(Verdict.FAIL, file.problems().size(), Integer::sum);
    for (Map.Entry<CiJob, List<Finding>> e : findings.entrySet()) {
      if (e.getValue().isEmpty() && options.job().isEmpty()) {
        continue; // jobs without secrets are not ours to list
      }
      out.println("Job " + e.getKey().name() + ":");
      if (e.getValue().isEmpty()) {
        out.println("  no secrets");
      }
      for (Finding f : e.getValue()) {
        out.println("  " + f.line());
        counts.merge(f.verdict(), 1, Integer::sum);
      }
    }
    out.println(summary(jobs.size(), counts));
    out.flush();
    return counts.getOrDefault(Verdict.FAIL, 0) == 0 ? 0 : FAILED;
  }

  private static List<CiJob> selected(CiFile file, CheckOptions options) {
    if (options.job().isPresent()) {
      return List.of(file.job(options.job().get()).orElseThrow(() -> DriverException.user("no job '" + options.job().get()
          + "' in " + file.source() + "; its jobs: " + String.join(", ", file.jobs().stream().filter(j -> !j.hidden()).map(CiJob::name).toList())
          + ".")));
    }
    return file.jobs().stream().filter(j -> !j.hidden()).toList();
  }

  /**
   * Fetches every valid secret the manager's own identity reads, through prepare's resolution code;
   * OpenID Connect ones are left, for no ID token exists outside a job.
   */
  private void resolve(Map<CiJob, List<Finding>> findings) {
    List<PlannedSecret> planned = new ArrayList<>();
    for (List<Finding> list : findings.values()) {
      list.forEach(f -> f.fetch().filter(p -> !p.definition().usesOidc()).ifPresent(planned::add));
    }
    List<SecretOutcome> outcomes = List.of();
    if (!planned.isEmpty()) {
      try (SecretStore store = stores.apply(config)) {
        outcomes = new Resolver(store, config.resolution().concurrency(), config.resolution().deadline()).resolve(planned);
      }
    }
    int next = 0;
    for (List<Finding> list : findings.values()) {
      for (int i = 0; i < list.size(); i++) {
        Finding f = list.get(i);
        if (f.fetch().isEmpty()) {
          continue;
        }
        if (f.fetch().get().definition().usesOidc()) {
          list.set(i, Finding.of(Verdict.OK, f.text() + "; not fetched: it uses OpenID Connect, and no ID token exists outside a job"));
          continue;
        }
        SecretOutcome o = outcomes.get(next++);
        if (o instanceof SecretOutcome.Resolved r) {
          byte[] delivered = r.definition().file() ? r.value().bytes() : r.value().variableText().getBytes(StandardCharsets.UTF_8);
          list.set(i, Finding.of(Verdict.OK, f.text() + "; fetched " + delivered.length + " bytes, sha256:" + digest(delivered)));
        } else if (o instanceof SecretOutcome.Failed failed) {
          list.set(i, Finding.of(Verdict.FAIL, failed.line()));
        }
      }
    }
  }

  static String digest(byte[] value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value)).substring(0, DIGEST_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String summary(int jobs, Map<Verdict, Integer> counts) {
    return "Checked " + jobs + (jobs == 1 ? " job: " : " jobs: ")
        + counts.getOrDefault(Verdict.OK, 0) + (counts.getOrDefault(Verdict.OK, 0) == 1 ? " secret" : " secrets") + " valid, " + counts.getOrDefault(Verdict.FAIL, 0) + " failed, "
        + counts.getOrDefault(Verdict.NOTE, 0) + " undecided, " + counts.getOrDefault(Verdict.SKIP, 0) + " not ours.";
  }
}
