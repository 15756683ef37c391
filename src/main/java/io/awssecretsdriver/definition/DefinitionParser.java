package io.awssecretsdriver.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.awssecretsdriver.job.JobVariables;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code secrets:} entries (the job payload's, or the definitions variable's) into validated
 * {@link SecretDefinition}s, expanding {@code $VAR} references with the job's variables. Every
 * broken entry yields one problem line that names the variable, the rule and the fix.
 */
public final class DefinitionParser {
  static final String KIND = "aws_secrets_manager";
  static final String DEFAULT_TOKEN = "$AWS_ID_TOKEN";
  private static final Set<String> FIELDS =
      Set.of("secret_id", "field", "version_id", "version_stage", "region", "role_arn", "role_session_name", "server");
  private static final Set<String> SERVER_FIELDS = Set.of("region", "jwt", "role_arn", "role_session_name");
  private static final Set<String> ENTRY_FIELDS = Set.of(KIND, "file", "token");
  private static final Pattern SINGLE_REFERENCE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)\\}?");

  private final JobVariables variables;

  public DefinitionParser(JobVariables variables) {
    this.variables = variables;
  }

  public Definitions parse(JsonNode entries, Origin origin) {
    List<SecretDefinition> valid = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<String> others = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = entries.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      JsonNode entry = e.getValue();
      if (entry != null && entry.isObject() && !entry.has(KIND) && origin == Origin.SECRETS_KEYWORD) {
        others.add(name); // vault, gcp_secret_manager, ...: another resolver's business
        continue;
      }
      try {
        valid.add(parseEntry(name, entry, origin));
      } catch (InvalidDefinition problem) {
        problems.add("Secret \"" + clean(name) + "\": " + problem.getMessage());
      }
    }
    return new Definitions(valid, problems, others);
  }

  private SecretDefinition parseEntry(String name, JsonNode entry, Origin origin) {
    if (!AwsNames.isVariableName(name)) {
      throw new InvalidDefinition("is not a valid CI variable name: use letters, digits and '_', not starting with a digit.");
    }
    if (entry == null || !entry.isObject()) {
      throw new InvalidDefinition("must be a mapping with an 'aws_secrets_manager' key.");
    }
    if (origin == Origin.DEFINITIONS_VARIABLE) {
      rejectUnknown(entry, ENTRY_FIELDS, "");
    }
    JsonNode spec = entry.get(KIND);
    if (spec == null || spec.isNull()) {
      throw new InvalidDefinition("has no 'aws_secrets_manager' key; only aws_secrets_manager secrets are read here.");
    }
    boolean file = fileFlag(entry.get("file"));
    Raw raw = spec.isTextual() ? Raw.shortForm(spec.asText()) : Raw.longForm(spec, origin);
    Optional<String> tokenField = text(entry, "token");
    return build(name, raw, tokenField, file, origin);
  }

  private SecretDefinition build(String name, Raw raw, Optional<String> tokenField, boolean file, Origin origin) {
    String secretId = expand(raw.secretId()).orElseThrow(() -> new InvalidDefinition(
        raw.secretId().isPresent()
            ? "'secret_id' is empty after expanding " + clean(raw.secretId().get()) + ": define the variables it refers to."
            : "has no 'secret_id': give the secret's name or ARN."));
    checkSecretId(secretId, variables);
    Optional<String> field = expand(raw.field());
    if (raw.field().isPresent() && field.isEmpty()) {
      throw new InvalidDefinition("'field' is empty: name a top-level key of the secret's JSON, or leave 'field' out to get the whole secret.");
    }
    Optional<String> versionId = expand(raw.versionId());
    Optional<String> versionStage = expand(raw.versionStage());
    if (versionId.isPresent() && versionStage.isPresent()) {
      throw new InvalidDefinition("sets both 'version_id' and 'version_stage': a secret can pin one or the other, remove one.");
    }
    versionId.ifPresent(v -> check(AwsNames.VERSION_ID, v, "'version_id' is not a Secrets Manager version id (32 to 64 letters, digits and '-')."));
    versionStage.ifPresent(v -> check(AwsNames.VERSION_STAGE, v, "'version_stage' is not a staging label (up to 256 of A-Z a-z 0-9 _+=,.@-), such as AWSCURRENT."));

    JsonNode server = raw.server();
    Optional<String> region = expand(raw.region());
    Optional<String> jobRegion = server != null ? expand(text(server, "region")) : variables.value("AWS_REGION").filter(s -> !s.isEmpty());
    region.ifPresent(r -> checkRegion(variables.redact(r), r, "region"));
    jobRegion.ifPresent(r -> checkRegion(variables.redact(r), r, "AWS_REGION"));
    Optional<String> arnRegion = AwsNames.arnRegion(secretId);
    if (region.isPresent() && arnRegion.isPresent() && !region.get().equals(arnRegion.get())) {
      throw new InvalidDefinition("'region' is " + region.get() + " but the ARN in 'secret_id' is in " + arnRegion.get() + ": remove 'region' or fix the ARN.");
    }

    Optional<String> roleArn = expand(raw.roleArn()).or(() -> server != null ? expand(text(server, "role_arn")) : variables.value("AWS_ROLE_ARN").filter(s -> !s.isEmpty()));
    roleArn.ifPresent(r -> check(AwsNames.ROLE_ARN, r, "the role ARN " + clean(variables.redact(r)) + " is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME): fix 'role_arn' or AWS_ROLE_ARN."));
    Optional<String> session = expand(raw.roleSessionName()).or(() -> server != null ? expand(text(server, "role_session_name")) : variables.value("AWS_ROLE_SESSION_NAME").filter(s -> !s.isEmpty()));
    session.ifPresent(s -> check(AwsNames.SESSION_NAME, s, "the role session name " + printable(variables.redact(s)) + " is invalid: STS takes 2 to 64 of A-Z a-z 0-9 _+=,.@- (fix 'role_session_name' or AWS_ROLE_SESSION_NAME, or leave it out for the default)."));

    String tokenReference = tokenField.or(() -> server != null ? text(server, "jwt").filter(s -> !s.isEmpty()) : Optional.empty()).orElse(DEFAULT_TOKEN);
    String tokenVariable = tokenVariable(tokenReference);
    Optional<IdToken> token = Optional.ofNullable(variables.expand(tokenReference)).filter(s -> !s.isEmpty()).map(jwt -> new IdToken(tokenVariable, jwt));
    if (roleArn.isPresent() && token.isEmpty()) {
      throw new InvalidDefinition("a role ARN is set (" + roleArn.get() + ") but the ID token " + tokenVariable + " is empty: add `id_tokens: " + tokenVariable + ": aud: sts.amazonaws.com` to the job, or name another with `token:`.");
    }
    if (roleArn.isEmpty() && token.isPresent()) {
      throw new InvalidDefinition("the ID token " + tokenVariable + " is set but no role ARN is: set AWS_ROLE_ARN or 'role_arn' to use OpenID Connect, or remove the ID token to use the runner's IAM role. (Role ARN is required when using JWT for AWS authentication.)");
    }
    return new SecretDefinition(name, secretId, field, versionId, versionStage, region, jobRegion, roleArn,
        session.orElseGet(this::defaultSessionName), token, file, origin);
  }

  /** The runner's default: {@code ${CI_JOB_ID}-${CI_PROJECT_ID}-${CI_SERVER_HOST}}, made valid for STS. */
  String defaultSessionName() {
    return AwsNames.sessionNameFrom(variables.expand("${CI_JOB_ID}-${CI_PROJECT_ID}-${CI_SERVER_HOST}"));
  }

  private static String tokenVariable(String reference) {
    Matcher m = SINGLE_REFERENCE.matcher(reference);
    return m.matches() ? m.group(1) : "given by 'token'";
  }

  private static void checkSecretId(String id, JobVariables variables) {
    if (id.length() > 2048) {
      throw new InvalidDefinition("'secret_id' is longer than 2048 characters.");
    }
    if (AwsNames.isArn(id)) {
      if (AwsNames.arnRegion(id).isEmpty()) {
        throw new InvalidDefinition("'secret_id' " + clean(variables.redact(id)) + " is not a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME): fix it, or give the secret's name.");
      }
      return;
    }
    check(AwsNames.SECRET_NAME, id, "'secret_id' " + printable(variables.redact(id)) + " is not a valid secret name (up to 512 of A-Z a-z 0-9 /_+=.@!-) nor an ARN.");
  }

  private static void checkRegion(String shown, String region, String where) {
    check(AwsNames.REGION, region, "'" + where + "' is " + printable(shown) + ", which is not an AWS region such as us-east-1.");
  }

  private static void check(Pattern pattern, String value, String message) {
    if (!pattern.matcher(value).matches()) {
      throw new InvalidDefinition(message);
    }
  }

  /** Shows user text in a message without control characters or unbounded length. */
  static String printable(String text) {
    return "'" + clean(text) + "'";
  }

  /** User text fit for one message line: control characters as '?', cut to 80 characters. */
  static String clean(String text) {
    return UserText.clean(text, 80);
  }

  private Optional<String> expand(Optional<String> raw) {
    return raw.map(variables::expand).map(String::trim).filter(s -> !s.isEmpty());
  }

  private static boolean fileFlag(JsonNode node) {
    if (node == null || node.isNull()) {
      return true; // GitLab's default: the variable holds a file path
    }
    if (!node.isBoolean()) {
      throw new InvalidDefinition("'file' must be true or false (unquoted).");
    }
    return node.asBoolean();
  }

  static Optional<String> text(JsonNode parent, String key) {
    JsonNode node = parent.get(key);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw new InvalidDefinition("'" + key + "' must be a string; quote it in the YAML.");
    }
    return Optional.of(node.asText());
  }

  static void rejectUnknown(JsonNode node, Set<String> known, String prefix) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!known.contains(key)) {
        throw new InvalidDefinition("has an unknown key " + printable(prefix + key) + "; known keys: " + String.join(", ", known.stream().sorted().toList()) + ".");
      }
    }
  }

  /** The strings of one definition before expansion. */
  private record Raw(
      Optional<String> secretId,
      Optional<String> field,
      Optional<String> versionId,
      Optional<String> versionStage,
      Optional<String> region,
      Optional<String> roleArn,
      Optional<String> roleSessionName,
      JsonNode server) {

    /** {@code 'id'} or {@code 'id#field'}, as GitLab's short form. */
    static Raw shortForm(String text) {
      int hash = text.indexOf('#');
      Optional<String> id = Optional.of(hash < 0 ? text : text.substring(0, hash));
      Optional<String> field = hash < 0 ? Optional.empty() : Optional.of(text.substring(hash + 1));
      return new Raw(id, field, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), null);
    }

    static Raw longForm(JsonNode spec, Origin origin) {
      if (!spec.isObject()) {
        throw new InvalidDefinition("'aws_secrets_manager' must be a mapping with 'secret_id', or a string 'name#field'.");
      }
      rejectUnknown(spec, origin == Origin.DEFINITIONS_VARIABLE ? without(FIELDS, "server") : FIELDS, "aws_secrets_manager.");
      JsonNode server = spec.get("server");
      if (server != null && !server.isNull()) {
        if (!server.isObject()) {
          throw new InvalidDefinition("'aws_secrets_manager.server' must be a mapping.");
        }
        rejectUnknown(server, SERVER_FIELDS, "aws_secrets_manager.server.");
      } else {
        server = null;
      }
      return new Raw(text(spec, "secret_id"), text(spec, "field"), text(spec, "version_id"), text(spec, "version_stage"),
          text(spec, "region"), text(spec, "role_arn"), text(spec, "role_session_name"), server);
    }

    private static Set<String> without(Set<String> set, String key) {
      return Set.copyOf(set.stream().filter(k -> !k.equals(key)).toList());
    }
  }

  /** A problem with one definition; its message is user text without any secret. */
  static final class InvalidDefinition extends RuntimeException {
    InvalidDefinition(String message) {
      super(message, null, false, false);
    }
  }
}
