package io.awssecretsdriver.config;

import io.awssecretsdriver.definition.AwsNames;
import io.awssecretsdriver.failure.DriverException;
import io.awssecretsdriver.policy.AuthRequirement;
import io.awssecretsdriver.policy.Effect;
import io.awssecretsdriver.policy.LookupTemplates;
import io.awssecretsdriver.policy.Placeholders;
import io.awssecretsdriver.policy.Policy;
import io.awssecretsdriver.policy.PolicyRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Finds and reads the driver config. Precedence: 1. the {@code --config PATH} argument; 2. the
 * {@code AWS_SECRETS_DRIVER_CONFIG} environment variable; 3. {@value #DEFAULT_PATH} when it exists;
 * 4. built-in defaults. A path given explicitly must exist.
 */
public final class DriverConfigLoader {
  public static final String DEFAULT_PATH = "/etc/gitlab-runner/aws-secrets-driver.yml";
  public static final String ENV_VARIABLE = "AWS_SECRETS_DRIVER_CONFIG";

  private DriverConfigLoader() {}

  public static DriverConfig load(Optional<String> argument, Map<String, String> env) {
    Optional<String> explicit = argument.or(() -> Optional.ofNullable(env.get(ENV_VARIABLE)).filter(s -> !s.isBlank()));
    Path path = Path.of(explicit.orElse(DEFAULT_PATH));
    String text;
    try {
      text = Files.readString(path);
    } catch (NoSuchFileException e) {
      if (explicit.isEmpty()) {
        return DriverConfig.defaults("(built-in defaults)");
      }
      throw DriverException.system("Driver config " + path + " does not exist: fix --config or " + ENV_VARIABLE + ".");
    } catch (IOException e) {
      throw DriverException.system("Driver config " + path + " cannot be read (" + e.getClass().getSimpleName() + "): check its permissions.");
    }
    return parse(path.toString(), text);
  }

  public static DriverConfig parse(String source, String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(50);
    Object tree;
    try {
      tree = new Yaml(new SafeConstructor(options)).load(text);
    } catch (YAMLException e) {
      String msg = String.valueOf(e.getMessage());
      throw DriverException.system("Driver config " + source + " is not valid YAML: " + msg.replace('\n', ' ') + ".");
    } catch (RuntimeException e) {
      throw DriverException.system("Driver config " + source + " is not valid YAML: a tagged value cannot be read (" + e.getClass().getSimpleName() + ").");
    }
    if (tree == null) {
      return DriverConfig.defaults(source);
    }
    if (!(tree instanceof Map<?, ?> map)) {
      throw DriverException.system("Driver config " + source + " must be a YAML mapping of settings.");
    }
    ConfigNode root = new ConfigNode(source, "", map);
    DriverConfig config = new DriverConfig(
        source,
        root.string("builds_dir").map(Path::of),
        root.string("cache_dir").map(Path::of),
        root.bool("builds_dir_is_shared", true),
        root.string("secrets_dir").filter(s -> !s.equals("auto")).map(Path::of),
        resolution(root.childOrEmpty("resolution")),
        maskMinLength(root.childOrEmpty("masking")),
        definitionsVariable(root.childOrEmpty("definitions_variable")),
        policy(root.childOrEmpty("policy")),
        lookupTemplates(root),
        root.string("health_check_secret"),
        root.string("audit_log").map(Path::of));
    root.rejectUnknown();
    config.secretsDir().filter(p -> !p.isAbsolute()).ifPresent(p -> {
      throw root.error("secrets_dir", "must be an absolute path or 'auto'.");
    });
    return config;
  }

  private static DriverConfig.Resolution resolution(ConfigNode node) {
    DriverConfig.Resolution d = DriverConfig.Resolution.DEFAULT;
    DriverConfig.Resolution r = new DriverConfig.Resolution(
        node.integer("concurrency", d.concurrency(), 1, 64),
        node.duration("deadline", d.deadline(), Duration.ofSeconds(1), Duration.ofHours(1)),
        node.duration("api_call_timeout", d.apiCallTimeout(), Duration.ofMillis(100), Duration.ofMinutes(10)),
        node.duration("api_call_attempt_timeout", d.apiCallAttemptTimeout(), Duration.ofMillis(100), Duration.ofMinutes(10)),
        node.integer("max_attempts", d.maxAttempts(), 1, 10),
        node.string("default_region"));
    r.defaultRegion().filter(reg -> !AwsNames.isRegion(reg)).ifPresent(reg -> {
      throw node.error("default_region", "must be an AWS region such as us-east-1, found '" + reg + "'.");
    });
    node.rejectUnknown();
    return r;
  }

  private static int maskMinLength(ConfigNode node) {
    int min = node.integer("min_length", 8, 4, 1024);
    node.rejectUnknown();
    return min;
  }

  private static DriverConfig.DefinitionsVariableSetting definitionsVariable(ConfigNode node) {
    DriverConfig.DefinitionsVariableSetting d = DriverConfig.DefinitionsVariableSetting.DEFAULT;
    DriverConfig.DefinitionsVariableSetting s = new DriverConfig.DefinitionsVariableSetting(
        node.bool("enabled", d.enabled()),
        node.string("name", d.name()),
        node.integer("max_bytes", d.maxBytes(), 256, 1024 * 1024));
    if (!AwsNames.isVariableName(s.name())) {
      throw node.error("name", "must be a CI variable name, found '" + s.name() + "'.");
    }
    node.rejectUnknown();
    return s;
  }

  private static Policy policy(ConfigNode node) {
    String def = node.string("default", "allow");
    Effect defaultEffect = switch (def) {
      case "allow" -> Effect.ALLOW;
      case "deny" -> Effect.DENY;
      default -> throw node.error("default", "must be 'allow' or 'deny', found '" + def + "'.");
    };
    List<PolicyRule> rules = new ArrayList<>();
    List<Object> items = node.list("rules");
    for (int i = 0; i < items.size(); i++) {
      rules.add(rule(node.item("rules", i, items.get(i))));
    }
    node.rejectUnknown();
    return new Policy(defaultEffect, rules);
  }

  private static PolicyRule rule(ConfigNode node) {
    Optional<String> allow = node.string("allow");
    Optional<String> deny = node.string("deny");
    if (allow.isPresent() == deny.isPresent()) {
      throw node.error("allow", "or 'deny' (exactly one of them) must give the secret pattern of the rule.");
    }
    String pattern = allow.or(() -> deny).get();
    String key = allow.isPresent() ? "allow" : "deny";
    Placeholders.unknownIn(pattern).ifPresent(p -> {
      throw node.error(key, "uses the unknown placeholder {" + p + "}; known: {project_path}, {namespace}, {project_id}, {namespace_id}, {root_namespace_id}, {ref}, {ref_type}, {ref_protected}, {environment}, {pipeline_source}.");
    });
    Optional<AuthRequirement> auth = node.string("auth").map(a -> switch (a) {
      case "oidc" -> AuthRequirement.OIDC;
      case "manager" -> AuthRequirement.MANAGER;
      default -> throw node.error("auth", "must be 'oidc' or 'manager', found '" + a + "'.");
    });
    Optional<String> refType = node.string("ref_type");
    refType.filter(t -> !t.equals("branch") && !t.equals("tag")).ifPresent(t -> {
      throw node.error("ref_type", "must be 'branch' or 'tag', found '" + t + "'.");
    });
    Optional<String> label = node.string("name");
    Optional<Boolean> protectedRef = node.optionalBool("protected_ref");
    PolicyRule rule = new PolicyRule(
        allow.isPresent() ? Effect.ALLOW : Effect.DENY, pattern, auth, protectedRef, refType,
        node.string("ref"), node.string("projects"), node.string("environment"), node.string("pipeline_source"),
        label.orElse(node.key("").replaceAll("\\.$", "") + " (" + key + ": " + pattern + ")"));
    node.rejectUnknown();
    return rule;
  }

  private static LookupTemplates lookupTemplates(ConfigNode root) {
    List<String> templates = root.strings("lookup_templates");
    for (String t : templates) {
      if (!t.contains("{name}")) {
        throw root.error("lookup_templates", "entry '" + t + "' must contain {name}.");
      }
      Placeholders.unknownIn(t).ifPresent(p -> {
        throw root.error("lookup_templates", "entry '" + t + "' uses the unknown placeholder {" + p + "}.");
      });
    }
    return new LookupTemplates(templates);
  }
}
