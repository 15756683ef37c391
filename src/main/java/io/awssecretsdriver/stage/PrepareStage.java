package io.awssecretsdriver.stage;

import io.awssecretsdriver.audit.AuditLog;
import io.awssecretsdriver.audit.AuditRecord;
import io.awssecretsdriver.config.DriverConfig;
import io.awssecretsdriver.definition.SecretDefinition;
import io.awssecretsdriver.delivery.DeliveredSecret;
import io.awssecretsdriver.delivery.SecretDirectory;
import io.awssecretsdriver.execution.ExportGuard;
import io.awssecretsdriver.failure.DriverException;
import io.awssecretsdriver.failure.FailureKind;
import io.awssecretsdriver.job.JobEnvironment;
import io.awssecretsdriver.job.JobPayload;
import io.awssecretsdriver.job.RawPayload;
import io.awssecretsdriver.policy.AccessCheck;
import io.awssecretsdriver.resolution.FetchRequest;
import io.awssecretsdriver.resolution.PlannedSecret;
import io.awssecretsdriver.resolution.Planner;
import io.awssecretsdriver.resolution.Resolver;
import io.awssecretsdriver.resolution.SecretOutcome;
import io.awssecretsdriver.resolution.SecretStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code prepare}: reads the job's definitions, applies the admin's policy, fetches every allowed
 * secret concurrently and writes them into the job's secret directory. Either every secret is
 * delivered or none is, and every failure is reported, not only the first.
 */
final class PrepareStage implements Stage {
  private final JobEnvironment env;
  private final DriverConfig config;
  private final Console console;
  private final SecretStores stores;
  private final Clock clock;
  private final Optional<RawPayload> raw;

  /** {@code raw}: the payload as {@link #rehearseIfSecrets} read it, if it could. */
  PrepareStage(StageContext context, SecretStores stores, Clock clock, Optional<RawPayload> raw) {
    this.env = context.env();
    this.config = context.config();
    this.console = context.console();
    this.stores = stores;
    this.clock = clock;
    this.raw = raw;
  }

  /**
   * Reads the payload and, when it mentions a secret, starts the store's rehearsal on another core,
   * before the stage reads its config: a cheap look for a word, never a decision. A payload that
   * cannot be read is left to {@link #run}, which reports it after any problem with the config.
   */
  static Optional<RawPayload> rehearseIfSecrets(JobEnvironment env, SecretStores stores) {
    RawPayload payload;
    try {
      payload = RawPayload.read(env.jobResponseFile());
    } catch (DriverException e) {
      return Optional.empty();
    }
    if (payload.mentions("aws_secrets_manager")) { // the definitions variable holds the same word: GitLab's syntax
      Thread t = new Thread(stores::rehearse, "rehearse-secret-store");
      t.setDaemon(true);
      t.start();
    }
    return Optional.of(payload);
  }

  @Override
  public int run(List<String> args) {
    JobPayload payload = raw.orElseGet(() -> RawPayload.read(env.jobResponseFile())).parse();
    SecretDirectory directory = SecretDirectory.locate(config.secretsDir(), env.tmpDir());
    JobSecrets secrets = JobSecrets.read(payload, env, config);
    for (String name : secrets.resolvedByRunner()) {
      console.info("Secret \"" + name + "\" was already resolved by GitLab Runner: left as it is.");
    }
    if (!secrets.problems().isEmpty()) {
      throw new DriverException(FailureKind.BUILD, secrets.problems());
    }
    if (secrets.definitions().isEmpty()) {
      return 0;
    }
    console.info("Resolving secrets");
    long started = System.nanoTime();
    List<SecretOutcome> outcomes = new ArrayList<>();
    List<PlannedSecret> planned = plan(secrets.definitions(), payload, outcomes);
    SecretStore.CallCounts calls;
    try (SecretStore store = stores.open(config)) {
      outcomes.addAll(new Resolver(store, config.resolution().concurrency(), config.resolution().deadline()).resolve(planned));
      calls = store.calls();
    }
    audit(payload, outcomes);
    List<SecretOutcome.Failed> failed = outcomes.stream()
        .filter(SecretOutcome.Failed.class::isInstance).map(SecretOutcome.Failed.class::cast).toList();
    if (!failed.isEmpty()) {
      FailureKind kind = failed.stream().map(SecretOutcome.Failed::kind).reduce(FailureKind.BUILD, FailureKind::worst);
      List<String> lines = new ArrayList<>();
      lines.add("resolving secrets: " + failed.size() + " of " + outcomes.size() + " secrets could not be resolved"
          + (kind == FailureKind.SYSTEM ? " (an infrastructure fault: the runner retries the job's preparation)" : "") + ":");
      failed.forEach(f -> lines.add("  " + f.line()));
      throw new DriverException(kind, lines);
    }
    deliver(directory, outcomes, payload);
    long ms = Duration.ofNanos(System.nanoTime() - started).toMillis();
    console.info("Resolved " + outcomes.size() + (outcomes.size() == 1 ? " secret" : " secrets") + " in " + ms + " ms ("
        + calls.sts() + " STS and " + calls.getSecretValue() + " GetSecretValue calls)");
    return 0;
  }

  private List<PlannedSecret> plan(List<SecretDefinition> definitions, JobPayload payload, List<SecretOutcome> failures) {
    AccessCheck access = new AccessCheck(config.policy(), config.lookupTemplates());
    Planner planner = new Planner(config.resolution().defaultRegion());
    List<PlannedSecret> planned = new ArrayList<>();
    for (SecretDefinition d : definitions) {
      console.info("Resolving secret \"" + d.variable() + "\"...");
      console.info("Using \"aws_secrets_manager\" secret resolver...");
      AccessCheck.Verdict verdict = access.check(d, payload.trusted());
      if (verdict.denied()) {
        failures.add(new SecretOutcome.Failed(d, FailureKind.BUILD, verdict.denial()));
        continue;
      }
      Optional<FetchRequest> request = planner.plan(d, verdict.candidates());
      if (request.isEmpty()) {
        failures.add(new SecretOutcome.Failed(d, FailureKind.BUILD, Planner.noRegion()));
        continue;
      }
      planned.add(new PlannedSecret(d, request.get()));
    }
    return planned;
  }

  private void deliver(SecretDirectory directory, List<SecretOutcome> outcomes, JobPayload payload) {
    List<String> problems = new ArrayList<>();
    for (SecretOutcome o : outcomes) {
      SecretOutcome.Resolved r = (SecretOutcome.Resolved) o;
      if (!r.definition().file() && r.value().variableText().indexOf('\0') >= 0) {
        problems.add("Secret \"" + r.definition().variable() + "\" (" + r.definition().describe() + ") contains a NUL character, "
            + "which an environment variable cannot hold: use `file: true`.");
      }
    }
    if (!problems.isEmpty()) {
      throw new DriverException(FailureKind.BUILD, problems);
    }
    directory.create();
    directory.recordLocation();
    List<DeliveredSecret> manifest = new ArrayList<>();
    try {
      for (SecretOutcome o : outcomes) {
        SecretOutcome.Resolved r = (SecretOutcome.Resolved) o;
        SecretDefinition d = r.definition();
        byte[] content = d.file() ? r.value().bytes() : r.value().variableText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        directory.writeValue(d.variable(), content);
        if (content.length < config.maskMinLength()) {
          console.warn("secret \"" + d.variable() + "\" is shorter than " + config.maskMinLength()
              + " characters, too short to be masked: it will show in the job log if the job prints it.");
        }
        manifest.add(new DeliveredSecret(d.variable(), d.file(), JobSecrets.collides(d.variable(), payload, env)));
      }
      List<String> guarded = manifest.stream().filter(DeliveredSecret::guarded).map(DeliveredSecret::variable).toList();
      if (!guarded.isEmpty()) {
        directory.writeOwn(SecretDirectory.BASH_ENV,
            ExportGuard.script(guarded, env.get("BASH_ENV")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      directory.writeManifest(manifest);
    } catch (RuntimeException e) {
      directory.remove(); // never leave half a delivery behind
      throw e;
    }
  }

  private void audit(JobPayload payload, List<SecretOutcome> outcomes) {
    if (config.auditLog().isEmpty()) {
      return;
    }
    String now = clock.instant().toString();
    String runner = env.customVariables().getOrDefault("CI_RUNNER_ID", "");
    List<AuditRecord> records = new ArrayList<>();
    for (SecretOutcome o : outcomes) {
      SecretDefinition d = o.definition();
      String region = d.effectiveRegion(config.resolution().defaultRegion()).orElse("");
      String role = d.roleArn().orElse("manager role");
      if (o instanceof SecretOutcome.Resolved r) {
        records.add(new AuditRecord(now, runner, payload.trusted().jobId(), payload.trusted().projectPath(), payload.trusted().ref(),
            d.variable(), r.fetched().arn(), r.fetched().versionId(), role, r.request().region(), "resolved", ""));
      } else if (o instanceof SecretOutcome.Failed f) {
        records.add(new AuditRecord(now, runner, payload.trusted().jobId(), payload.trusted().projectPath(), payload.trusted().ref(),
            d.variable(), d.secretId(), d.versionId().orElse(""), role, region,
            f.reason().startsWith("denied") ? "denied" : "failed", f.reason()));
      }
    }
    new AuditLog(config.auditLog().get()).append(records);
  }
}
