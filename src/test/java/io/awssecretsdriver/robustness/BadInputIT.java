package io.awssecretsdriver.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.awssecretsdriver.testing.DriverProcess;
import io.awssecretsdriver.testing.DriverTestBase;
import io.awssecretsdriver.testing.Job;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed input of every kind, given to the built driver exactly as the runner would (its
 * environment, JOB_RESPONSE_FILE, the stage's arguments): each must end with the exit code of who can
 * fix it (1, BUILD_FAILURE_EXIT_CODE: the job's author; 2, SYSTEM_FAILURE_EXIT_CODE: the runner, its
 * admin or its host), one message naming what is wrong, no stack trace, and, once the runner's cleanup
 * has run, nothing left behind.
 */
class BadInputIT extends DriverTestBase {
  static final int BUILD = 1;
  static final int SYSTEM = 2;
  static final String VAR = "DATABASE_PASSWORD";
  static final String DB = "{\"password\":\"Db-Passw0rd-2026!\"}";
  static final String ROLE = "arn:aws:iam::123456789012:role/gitlab-secrets-role";
  /** The value of a masked CI variable some cases refer to (characters GitLab allows in one): it must never be printed. */
  static final String MASKED = "Masked:Hunter2~Value/42";
  static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwcm9qZWN0X3BhdGg6YWNtZS9wYXltZW50cyJ9.c2lnbmF0dXJl";
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)\\}?");
  private static final Tally TALLY = new Tally();

  @AfterAll
  static void summary() {
    System.out.println("bad inputs: " + TALLY.sum("exit.") + " tried (" + TALLY.group("area.") + "), exits: build failure "
        + TALLY.get("exit.1") + ", system failure " + TALLY.get("exit.2")
        + (TALLY.sum("exit.") - TALLY.get("exit.1") - TALLY.get("exit.2") > 0 ? ", other " + (TALLY.sum("exit.") - TALLY.get("exit.1") - TALLY.get("exit.2")) : "")
        + ", as expected " + TALLY.get("matched") + ", stack traces " + TALLY.get("traces") + ", leaked files " + TALLY.get("leaked")
        + ", slowest " + TALLY.get("slowest-ms") + " ms");
  }

  /** What one case changes in an otherwise valid job (fixture iam-role, whose secret AWS holds). */
  final class Input {
    ObjectNode payload = Job.fixture("iam-role").payload();
    byte[] rawPayload;
    final Map<String, String> env = new LinkedHashMap<>();
    final Set<String> unset = new HashSet<>();
    List<String> args = List.of("prepare");
    String config = "";
    /** Replaces the config's first line ({@code secrets_dir: <this test's dir>}). */
    Optional<String> configHead = Optional.empty();
    Optional<Path> responseFile = Optional.empty();
    final Path tmp;

    Input(Path tmp) {
      this.tmp = tmp;
    }

    ObjectNode secrets() {
      return payload.with("secrets");
    }

    /** The fixture's one definition, {@code secrets.DATABASE_PASSWORD.aws_secrets_manager}. */
    ObjectNode def() {
      return secrets().with(VAR).with("aws_secrets_manager");
    }

    Input variable(String key, String value) {
      payload.withArray("variables").addObject().put("key", key).put("value", value).put("public", false).put("masked", false);
      return this;
    }

    Input maskedVariable(String key, String value) {
      payload.withArray("variables").addObject().put("key", key).put("value", value).put("public", false).put("masked", true);
      return this;
    }

    Input definitionsVariable(String yaml) {
      payload.putObject("secrets");
      return variable("AWS_SECRETS_MANAGER_SECRETS", yaml);
    }

    Path work() {
      return work;
    }
  }

  static Arguments c(String area, String name, int exit, String fragment, Consumer<Input> setup) {
    return Arguments.of(area + ": " + name, exit, fragment, setup);
  }

  static String repeat(String s, int n) {
    return s.repeat(n);
  }

  static Stream<Arguments> cases() {
    List<Arguments> t = new ArrayList<>();
    // ---- the job payload (JOB_RESPONSE_FILE): the runner's to get right ----
    t.add(c("payload", "broken JSON", SYSTEM, "is not valid JSON", in -> in.rawPayload = "{\"id\": 1, \"variables\": [".getBytes(StandardCharsets.UTF_8)));
    t.add(c("payload", "truncated in the middle", SYSTEM, "is not valid JSON", in -> {
      String full = in.payload.toPrettyString();
      in.rawPayload = full.substring(0, full.length() / 2).getBytes(StandardCharsets.UTF_8);
    }));
    t.add(c("payload", "two objects, the second trailing", SYSTEM, "is not valid JSON", in ->
        in.rawPayload = (in.payload + "\n{\"secrets\":{}}").getBytes(StandardCharsets.UTF_8)));
    t.add(c("payload", "huge (65 MiB)", SYSTEM, "larger than 64 MiB", in -> in.responseFile = Optional.of(sparse(in.tmp.resolve("huge.json"), 65L << 20))));
    t.add(c("payload", "empty file", SYSTEM, "does not hold a JSON object", in -> in.rawPayload = new byte[0]));
    t.add(c("payload", "a JSON array", SYSTEM, "does not hold a JSON object", in -> in.rawPayload = "[{\"secrets\":{}}]".getBytes(StandardCharsets.UTF_8)));
    t.add(c("payload", "a JSON string", SYSTEM, "does not hold a JSON object", in -> in.rawPayload = "\"secrets\"".getBytes(StandardCharsets.UTF_8)));
    t.add(c("payload", "non-UTF-8 bytes in a string", SYSTEM, "is not valid JSON", in -> {
      byte[] head = "{\"variables\":[{\"key\":\"X\",\"value\":\"".getBytes(StandardCharsets.UTF_8);
      byte[] tail = "\"}],\"secrets\":{}}".getBytes(StandardCharsets.UTF_8);
      byte[] all = new byte[head.length + 3 + tail.length];
      System.arraycopy(head, 0, all, 0, head.length);
      all[head.length] = (byte) 0xff;
      all[head.length + 1] = (byte) 0xfe;
      all[head.length + 2] = (byte) 0xc3;
      System.arraycopy(tail, 0, all, head.length + 3, tail.length);
      in.rawPayload = all;
    }));
    t.add(c("payload", "nested 5000 deep", SYSTEM, "is not valid JSON", in ->
        in.rawPayload = ("{\"secrets\":{},\"x\":" + repeat("[", 5000) + repeat("]", 5000) + "}").getBytes(StandardCharsets.UTF_8)));
    t.add(c("payload", "variables not a list", SYSTEM, "'variables' must be a list", in -> in.payload.putObject("variables").put("CI_JOB_ID", "1")));
    t.add(c("payload", "variables a string", SYSTEM, "'variables' must be a list", in -> in.payload.put("variables", "CI_JOB_ID=1")));
    t.add(c("payload", "variable without key", SYSTEM, "needs a string 'key'", in -> in.payload.withArray("variables").addObject().put("value", "x")));
    t.add(c("payload", "variable key a number", SYSTEM, "needs a string 'key'", in -> in.payload.withArray("variables").addObject().put("key", 42).put("value", "x")));
    t.add(c("payload", "variable entry a string", SYSTEM, "needs a string 'key'", in -> in.payload.withArray("variables").add("CI_JOB_ID=1")));
    t.add(c("payload", "secrets a list", SYSTEM, "'secrets' must be an object", in -> in.payload.putArray("secrets").addObject().put("DATABASE_PASSWORD", "x")));
    t.add(c("payload", "secrets a string", SYSTEM, "'secrets' must be an object", in -> in.payload.put("secrets", "DATABASE_PASSWORD")));
    t.add(c("payload", "JOB_RESPONSE_FILE names no file", SYSTEM, "does not exist", in -> in.responseFile = Optional.of(in.tmp.resolve("missing.json"))));
    t.add(c("payload", "JOB_RESPONSE_FILE a dangling link", SYSTEM, "does not exist", in -> in.responseFile = Optional.of(link(in.tmp.resolve("dangling.json"), in.tmp.resolve("gone")))));
    t.add(c("payload", "JOB_RESPONSE_FILE unreadable (a directory)", SYSTEM, "cannot be read", in -> in.responseFile = Optional.of(dir(in.tmp.resolve("a-directory")))));
    t.add(c("payload", "JOB_RESPONSE_FILE unset", SYSTEM, "JOB_RESPONSE_FILE is not set", in -> in.unset.add("JOB_RESPONSE_FILE")));

    // ---- how the driver is started: config.toml's to get right ----
    t.add(c("invocation", "TMPDIR unset in prepare", SYSTEM, "TMPDIR is not set", in -> in.unset.add("TMPDIR")));
    t.add(c("invocation", "TMPDIR unset in run", SYSTEM, "TMPDIR is not set", in -> {
      in.unset.add("TMPDIR");
      in.args = List.of("run", script(in.tmp, "true"), "build_script");
    }));
    t.add(c("invocation", "TMPDIR unset in cleanup", SYSTEM, "TMPDIR is not set", in -> {
      in.unset.add("TMPDIR");
      in.args = List.of("cleanup");
    }));
    t.add(c("invocation", "unknown stage name", SYSTEM, "unknown stage 'frobnicate'", in -> in.args = List.of("frobnicate")));
    t.add(c("invocation", "no stage at all", SYSTEM, "no stage given", in -> in.args = List.of()));
    t.add(c("invocation", "unknown option", SYSTEM, "unknown option --frobnicate", in -> in.args = List.of("--frobnicate", "prepare")));
    t.add(c("invocation", "run without script and stage", SYSTEM, "run needs the script path", in -> in.args = List.of("run")));
    t.add(c("invocation", "run without the stage name", SYSTEM, "run needs the script path", in -> in.args = List.of("run", script(in.tmp, "true"))));
    t.add(c("invocation", "run with a script that does not exist", SYSTEM, "no-such-script", in ->
        in.args = List.of("run", in.tmp.resolve("no-such-script").toString(), "build_script")));

    // ---- secret definitions in the payload: the job's author's to fix ----
    t.add(c("definition", "entry a number", BUILD, "must be a mapping with an 'aws_secrets_manager' key", in -> in.secrets().put(VAR, 5)));
    t.add(c("definition", "entry null", BUILD, "must be a mapping with an 'aws_secrets_manager' key", in -> in.secrets().putNull(VAR)));
    t.add(c("definition", "entry a list", BUILD, "must be a mapping with an 'aws_secrets_manager' key", in -> in.secrets().putArray(VAR).add("app-secrets/database")));
    t.add(c("definition", "aws_secrets_manager null", BUILD, "has no 'aws_secrets_manager' key", in -> in.secrets().with(VAR).putNull("aws_secrets_manager")));
    t.add(c("definition", "aws_secrets_manager a number", BUILD, "'aws_secrets_manager' must be a mapping", in -> in.secrets().with(VAR).put("aws_secrets_manager", 7)));
    t.add(c("definition", "aws_secrets_manager a list", BUILD, "'aws_secrets_manager' must be a mapping", in -> in.secrets().with(VAR).putArray("aws_secrets_manager").add("x")));
    t.add(c("definition", "secret_id null", BUILD, "has no 'secret_id'", in -> in.def().putNull("secret_id")));
    t.add(c("definition", "secret_id missing", BUILD, "has no 'secret_id'", in -> in.def().remove("secret_id")));
    t.add(c("definition", "secret_id a number", BUILD, "'secret_id' must be a string", in -> in.def().put("secret_id", 12345)));
    t.add(c("definition", "secret_id an object", BUILD, "'secret_id' must be a string", in -> in.def().putObject("secret_id").put("name", "x")));
    t.add(c("definition", "secret_id a boolean", BUILD, "'secret_id' must be a string", in -> in.def().put("secret_id", true)));
    t.add(c("definition", "secret_id empty", BUILD, "'secret_id' is empty", in -> in.def().put("secret_id", "")));
    t.add(c("definition", "secret_id blank", BUILD, "'secret_id' is empty", in -> in.def().put("secret_id", "   ")));
    t.add(c("definition", "secret_id an undefined variable", BUILD, "$NOT_DEFINED", in -> in.def().put("secret_id", "$NOT_DEFINED")));
    t.add(c("definition", "secret_id 513 characters", BUILD, "is not a valid secret name", in -> in.def().put("secret_id", repeat("a", 513))));
    t.add(c("definition", "secret_id 3000 characters", BUILD, "longer than 2048", in -> in.def().put("secret_id", repeat("a", 3000))));
    t.add(c("definition", "secret_id with a space and a newline", BUILD, "is not a valid secret name", in -> in.def().put("secret_id", "app secrets/\ndatabase")));
    t.add(c("definition", "secret_id with a lone surrogate", BUILD, "is not a valid secret name", in -> in.def().put("secret_id", "app-secrets/\ud800db")));
    t.add(c("definition", "secret_id with a NUL", BUILD, "is not a valid secret name", in -> in.def().put("secret_id", "app-secrets/\u0000db")));
    t.add(c("definition", "ARN with a 3-digit account", BUILD, "is not a Secrets Manager secret ARN", in -> in.def().put("secret_id", "arn:aws:secretsmanager:us-east-1:123:secret:db-AbCdEf")));
    t.add(c("definition", "ARN of another service", BUILD, "is not a Secrets Manager secret ARN", in -> in.def().put("secret_id", "arn:aws:s3:::my-bucket/db")));
    t.add(c("definition", "ARN without a name", BUILD, "is not a Secrets Manager secret ARN", in -> in.def().put("secret_id", "arn:aws:secretsmanager:us-east-1:123456789012:secret:")));
    t.add(c("definition", "region not a region", BUILD, "'region' is 'mars'", in -> in.def().put("region", "mars")));
    t.add(c("definition", "server region in capitals", BUILD, "'AWS_REGION' is 'US-EAST-1'", in -> in.def().with("server").put("region", "US-EAST-1")));
    t.add(c("definition", "region contradicts the ARN", BUILD, "but the ARN in 'secret_id' is in eu-west-1", in -> {
      in.def().put("secret_id", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf");
      in.def().put("region", "us-east-1");
    }));
    t.add(c("definition", "session name of 1 character", BUILD, "role session name 'a' is invalid", in -> in.def().put("role_session_name", "a")));
    t.add(c("definition", "session name of 65 characters", BUILD, "role session name", in -> in.def().put("role_session_name", repeat("s", 65))));
    t.add(c("definition", "session name with a space", BUILD, "role session name 'my session' is invalid", in -> in.def().put("role_session_name", "my session")));
    t.add(c("definition", "version_id and version_stage", BUILD, "sets both 'version_id' and 'version_stage'", in -> {
      in.def().put("version_id", "01234567-89ab-cdef-0123-456789abcdef");
      in.def().put("version_stage", "AWSPREVIOUS");
    }));
    t.add(c("definition", "version_id too short", BUILD, "is not a Secrets Manager version id", in -> in.def().put("version_id", "v1")));
    t.add(c("definition", "version_stage with a space", BUILD, "is not a staging label", in -> in.def().put("version_stage", "AWS CURRENT")));
    t.add(c("definition", "role_arn not an IAM role", BUILD, "is not an IAM role ARN", in -> in.def().put("role_arn", "arn:aws:iam::123456789012:user/alice")));
    t.add(c("definition", "role ARN without an ID token", BUILD, "the ID token AWS_ID_TOKEN is empty", in -> in.def().put("role_arn", ROLE)));
    t.add(c("definition", "role ARN with an empty custom token", BUILD, "the ID token MY_TOKEN is empty", in -> {
      in.def().put("role_arn", ROLE);
      in.secrets().with(VAR).put("token", "$MY_TOKEN");
      in.def().with("server").put("jwt", "$MY_TOKEN");
    }));
    t.add(c("definition", "ID token without a role ARN", BUILD, "Role ARN is required", in -> in.variable("AWS_ID_TOKEN", JWT)));
    t.add(c("definition", "$VAR loop A=$B, B=$A", BUILD, "is not a valid secret name", in -> {
      in.variable("LOOP_A", "$LOOP_B").variable("LOOP_B", "$LOOP_A");
      in.def().put("secret_id", "$LOOP_A");
    }));
    t.add(c("definition", "$VAR self-reference doubling", BUILD, "longer than 2048", in -> {
      in.variable("SELF", "${SELF}${SELF}$SELF");
      in.def().put("secret_id", repeat("${SELF}", 200));
    }));
    t.add(c("definition", "field empty", BUILD, "'field' is empty", in -> in.def().put("field", "")));
    t.add(c("definition", "field a number", BUILD, "'field' must be a string", in -> in.def().put("field", 3)));
    t.add(c("definition", "file a string", BUILD, "'file' must be true or false", in -> in.secrets().with(VAR).put("file", "yes")));
    t.add(c("definition", "server a string", BUILD, "'aws_secrets_manager.server' must be a mapping", in -> in.def().put("server", "us-east-1")));
    t.add(c("definition", "unknown key", BUILD, "unknown key 'aws_secrets_manager.secret_name'", in -> in.def().put("secret_name", "x")));
    t.add(c("definition", "unknown server key", BUILD, "unknown key 'aws_secrets_manager.server.jwt_token'", in -> in.def().with("server").put("jwt_token", "x")));
    t.add(c("definition", "variable name starting with a digit", BUILD, "is not a valid CI variable name", in -> in.secrets().set("1DB", in.secrets().remove(VAR))));
    t.add(c("definition", "variable name with a dash", BUILD, "is not a valid CI variable name", in -> in.secrets().set("DB-PASSWORD", in.secrets().remove(VAR))));
    t.add(c("definition", "short form empty", BUILD, "'secret_id' is empty", in -> in.secrets().with(VAR).put("aws_secrets_manager", "")));
    t.add(c("definition", "short form with only a field", BUILD, "'secret_id' is empty", in -> in.secrets().with(VAR).put("aws_secrets_manager", "#password")));
    t.add(c("definition", "short form with an empty field", BUILD, "'field' is empty", in -> in.secrets().with(VAR).put("aws_secrets_manager", "app-secrets/database#")));
    t.add(c("definition", "session name from a masked variable", BUILD, "role session name", in -> {
      in.maskedVariable("DEPLOY_PASSWORD", MASKED);
      in.def().put("role_session_name", "$DEPLOY_PASSWORD");
    }));
    t.add(c("definition", "region from a masked variable", BUILD, "is not an AWS region", in -> {
      in.maskedVariable("DEPLOY_PASSWORD", MASKED);
      in.def().put("region", "${DEPLOY_PASSWORD}");
    }));
    t.add(c("definition", "role_arn from a masked variable", BUILD, "is not an IAM role ARN", in -> {
      in.maskedVariable("DEPLOY_PASSWORD", MASKED);
      in.def().put("role_arn", "$DEPLOY_PASSWORD");
    }));
    t.add(c("definition", "secret name with a newline forging a log line", BUILD, "is not a valid CI variable name", in ->
        in.secrets().set("X\nJob succeeded", in.secrets().remove(VAR))));
    t.add(c("definition", "role_arn with a newline forging a log line", BUILD, "is not an IAM role ARN", in ->
        in.def().put("role_arn", "arn:aws:iam::123456789012:role/x\nJob succeeded")));
    t.add(c("definition", "two broken entries, both reported", BUILD, "Secret \"OTHER\"", in -> {
      in.def().put("region", "mars");
      in.secrets().putObject("OTHER").putObject("aws_secrets_manager").put("secret_id", "");
    }));

    // ---- definitions in the CI variable AWS_SECRETS_MANAGER_SECRETS ----
    t.add(c("definitions-variable", "bad YAML", BUILD, "AWS_SECRETS_MANAGER_SECRETS is not valid YAML (line", in ->
        in.definitionsVariable("DB:\n  aws_secrets_manager: [unclosed\n")));
    t.add(c("definitions-variable", "too large", BUILD, "more than the 65536", in ->
        in.definitionsVariable("DB:\n  aws_secrets_manager: app/db\n# " + repeat("x", 70_000) + "\n")));
    t.add(c("definitions-variable", "nested too deep", BUILD, "AWS_SECRETS_MANAGER_SECRETS is not valid YAML", in ->
        in.definitionsVariable("DB: " + repeat("[", 40) + repeat("]", 40) + "\n")));
    t.add(c("definitions-variable", "a YAML list", BUILD, "must be a YAML mapping", in -> in.definitionsVariable("- DB\n- API\n")));
    t.add(c("definitions-variable", "a number as key", BUILD, "every key must be a variable name", in -> in.definitionsVariable("1: {aws_secrets_manager: app/db}\n")));
    t.add(c("definitions-variable", "alias bomb", BUILD, "AWS_SECRETS_MANAGER_SECRETS is not valid YAML", in -> {
      StringBuilder y = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x]\n");
      for (char ch = 'b'; ch <= 'j'; ch++) {
        char p = (char) (ch - 1);
        y.append(ch).append(": &").append(ch).append(" [*").append(p).append(",*").append(p).append(",*").append(p).append(",*").append(p).append("]\n");
      }
      in.definitionsVariable(y.toString());
    }));
    t.add(c("definitions-variable", "duplicate key", BUILD, "AWS_SECRETS_MANAGER_SECRETS is not valid YAML", in ->
        in.definitionsVariable("DB: {aws_secrets_manager: app/a}\nDB: {aws_secrets_manager: app/b}\n")));
    t.add(c("definitions-variable", "a Java type tag", BUILD, "AWS_SECRETS_MANAGER_SECRETS is not valid YAML", in ->
        in.definitionsVariable("DB: !!java.net.URL [\"http://127.0.0.1/\"]\n")));
    t.add(c("definitions-variable", "a recursive alias", BUILD, "AWS_SECRETS_MANAGER_SECRETS", in ->
        in.definitionsVariable("DB: &x {aws_secrets_manager: *x}\n")));
    t.add(c("definitions-variable", "a !!binary value that is not base64", BUILD, "AWS_SECRETS_MANAGER_SECRETS", in ->
        in.definitionsVariable("DB:\n  aws_secrets_manager: !!binary app/db#password\n")));
    t.add(c("definitions-variable", "an unknown entry key", BUILD, "unknown key 'files'", in ->
        in.definitionsVariable("DB:\n  aws_secrets_manager: app/db\n  files: false\n")));
    t.add(c("definitions-variable", "also under secrets:", BUILD, "is defined both under `secrets:` and in AWS_SECRETS_MANAGER_SECRETS", in -> {
      in.variable("AWS_SECRETS_MANAGER_SECRETS", VAR + ":\n  aws_secrets_manager: app-secrets/database#password\n");
    }));

    // ---- the driver config: the runner admin's to fix ----
    t.add(c("config", "unknown top-level key", SYSTEM, "unknown key 'secret_dir'", in -> {
      in.config = "secret_dir: /tmp/typo\n";
      in.args = List.of("config");
    }));
    t.add(c("config", "unknown nested key", SYSTEM, "unknown key 'resolution.deadlin'", in -> in.config = "resolution:\n  deadlin: 5s\n"));
    t.add(c("config", "not YAML", SYSTEM, "is not valid YAML", in -> in.config = "resolution: [\n"));
    t.add(c("config", "a YAML list", SYSTEM, "must be a YAML mapping of settings", in -> in.configHead = Optional.of("- a\n- b\n")));
    t.add(c("config", "wrong type", SYSTEM, "'resolution.concurrency' must be a whole number", in -> in.config = "resolution:\n  concurrency: many\n"));
    t.add(c("config", "duration out of range", SYSTEM, "'resolution.deadline' must be between", in -> in.config = "resolution:\n  deadline: 0s\n"));
    t.add(c("config", "a !!binary value that is not base64", SYSTEM, "Driver config", in -> in.config = "health_check_secret: !!binary a/b\n"));
    t.add(c("config", "relative secrets_dir", SYSTEM, "must be an absolute path", in -> in.configHead = Optional.of("secrets_dir: relative/secrets\n")));
    t.add(c("config", "file that does not exist", SYSTEM, "does not exist", in -> in.env.put("AWS_SECRETS_DRIVER_CONFIG", in.work().resolve("nope.yml").toString())));
    t.add(c("config", "a directory", SYSTEM, "cannot be read", in -> in.env.put("AWS_SECRETS_DRIVER_CONFIG", dir(in.work().resolve("config-dir")).toString())));

    // ---- where the secret files go: the runner host's to fix ----
    t.add(c("filesystem", "secrets_dir below a regular file", SYSTEM, "Cannot create the secret directory", in -> {
      Path file = in.work().resolve("plain-file");
      write(file, "x");
      in.configHead = Optional.of("secrets_dir: " + file.resolve("secrets") + "\n");
    }));
    t.add(c("filesystem", "secrets_dir read-only", SYSTEM, "Cannot create the secret directory", in ->
        in.configHead = Optional.of("secrets_dir: " + readOnlyDir(in.work().resolve("read-only")).resolve("secrets") + "\n")));
    t.add(c("filesystem", "secrets_dir with a parent that cannot be made", SYSTEM, "Cannot create the secret directory", in ->
        in.configHead = Optional.of("secrets_dir: /proc/no-such-dir/secrets\n")));
    return t.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInputEndsWithOneClearMessageAndTheRightExitCode(String name, int exit, String fragment, Consumer<Input> setup) throws IOException {
    aws.secret("app-secrets/database", DB);
    Path tmp = Files.createDirectories(work.resolve("runner"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
    Input in = new Input(tmp);
    setup.accept(in);

    Files.writeString(driverConfig, in.configHead.orElse("secrets_dir: " + secretsDir + "\n") + in.config);
    Path response = in.responseFile.orElse(tmp.resolve("response.json"));
    if (in.responseFile.isEmpty()) {
      Files.write(response, in.rawPayload != null ? in.rawPayload : (in.payload + "\n").getBytes(StandardCharsets.UTF_8));
    }
    Map<String, String> env = runnerEnv(tmp, response, in);
    Map<String, String> stageEnv = new LinkedHashMap<>(env);
    stageEnv.putAll(in.env);
    in.unset.forEach(stageEnv::remove);

    DriverProcess p = DriverProcess.exactly(stageEnv, tmp, in.args);
    // The runner's cleanup, as after every failed stage; it must succeed and leave nothing.
    DriverProcess cleanup = DriverProcess.exactly(env, tmp, List.of("cleanup"));
    String shown = "exit " + p.exit() + " in " + p.took().toMillis() + " ms\n--- stdout ---\n" + p.out() + "--- stderr ---\n" + p.err()
        + "--- cleanup (exit " + cleanup.exit() + ") ---\n" + cleanup.output();
    if (Boolean.getBoolean("robust.print")) {
      System.out.println("=== " + name + ": " + shown + "--- left in secrets_dir: " + Logs.filesBelow(secretsDir) + "\n");
    }

    TALLY.add("exit." + p.exit());
    TALLY.add("area." + name.substring(0, name.indexOf(':')));
    TALLY.add("leaked", Logs.filesBelow(secretsDir));
    boolean trace = p.output().contains("\tat ") || p.output().contains("Exception in thread");
    TALLY.add("traces", trace ? 1 : 0);
    long slowest = TALLY.get("slowest-ms");
    if (p.took().toMillis() > slowest) {
      TALLY.add("slowest-ms", p.took().toMillis() - slowest);
    }

    assertFalse(p.timedOut(), () -> "the driver did not end within " + DriverProcess.LIMIT + "\n" + shown);
    assertEquals(exit, p.exit(), () -> "exit code\n" + shown);
    assertTrue(p.output().toLowerCase(Locale.ROOT).contains(fragment.toLowerCase(Locale.ROOT)), () -> "no '" + fragment + "' in\n" + shown);
    assertTrue(p.err().contains("ERROR: "), () -> "the reason goes to stderr as an ERROR line\n" + shown);
    assertTrue(p.err().lines().allMatch(l -> l.startsWith("ERROR: ") || l.startsWith("WARNING: ")),
        () -> "every line on stderr is the driver's own ERROR or WARNING line (user text must not start lines of its own)\n" + shown);
    Logs.assertNoStackTrace(p.output() + cleanup.output(), () -> shown);
    for (String secret : List.of("Db-Passw0rd-2026!", "glcbt-64_jobtokenFAKE", MASKED)) {
      assertFalse(p.output().contains(secret), () -> "a secret or masked value in the output\n" + shown);
    }
    assertFalse(p.output().lines().anyMatch(l -> l.length() > 4000), () -> "an unbounded message line\n" + shown);
    if (!name.startsWith("config:")) { // a broken driver config fails every stage, cleanup too
      assertEquals(0, cleanup.exit(), () -> "cleanup after the failure\n" + shown);
    }
    TALLY.add("matched");
    assertNothingLeft();
  }

  /**
   * The admin breaks the driver config while a job runs (a typo saved between the job's prepare and
   * its cleanup): the job's secrets must still be removed by its cleanup.
   */
  @org.junit.jupiter.api.Test
  void cleanupRemovesTheSecretsEvenWhenTheConfigBrokeAfterPrepare() throws IOException {
    aws.secret("app-secrets/database", DB);
    Path tmp = Files.createDirectories(work.resolve("runner"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
    Input in = new Input(tmp);
    Path response = tmp.resolve("response.json");
    Files.writeString(response, in.payload + "\n");
    Map<String, String> env = runnerEnv(tmp, response, in);
    DriverProcess prepare = DriverProcess.exactly(env, tmp, List.of("prepare"));
    assertEquals(0, prepare.exit(), prepare::output);
    assertTrue(Logs.filesBelow(secretsDir) > 0, "prepare delivered the secret");

    writeConfig("resolution:\n  deadlin: 5s\n"); // the typo
    DriverProcess cleanup = DriverProcess.exactly(env, tmp, List.of("cleanup"));
    String shown = "cleanup exit " + cleanup.exit() + "\n" + cleanup.output();
    TALLY.add("exit." + cleanup.exit());
    TALLY.add("area.config");
    TALLY.add("leaked", Logs.filesBelow(secretsDir));
    Logs.assertNoStackTrace(cleanup.output(), () -> shown);
    assertTrue(cleanup.output().contains("deadlin"), () -> "cleanup says what is wrong with the config\n" + shown);
    assertEquals(0, Logs.filesBelow(secretsDir), () -> "the job's secret files outlived its cleanup\n" + shown);
    TALLY.add("matched");
  }

  /** The environment GitLab Runner gives every stage: its own, the exit codes, the payload, CUSTOM_ENV_ for every job variable. */
  private Map<String, String> runnerEnv(Path tmp, Path response, Input in) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("LANG", "C.UTF-8");
    env.put("HOME", dir(work.resolve("home")).toString());
    Optional.ofNullable(System.getenv("JAVA_HOME")).ifPresent(j -> env.put("JAVA_HOME", j));
    Optional.ofNullable(System.getProperty("driver.jar")).ifPresent(j -> env.put("AWS_SECRETS_DRIVER_JAR", j));
    env.putAll(aws.managerEnv());
    env.put("AWS_SECRETS_DRIVER_CONFIG", driverConfig.toString());
    env.put("TMPDIR", tmp.toString());
    env.put("BUILD_FAILURE_EXIT_CODE", "1");
    env.put("SYSTEM_FAILURE_EXIT_CODE", "2");
    env.put("BUILD_EXIT_CODE_FILE", tmp.resolve("build_exit_code").toString());
    env.put("JOB_RESPONSE_FILE", response.toString());
    // Job variables as the runner passes them: expanded once (raw ones as they are), later entries winning.
    Map<String, String> raw = new LinkedHashMap<>();
    Map<String, Boolean> isRaw = new LinkedHashMap<>();
    ObjectNode source = in.rawPayload == null ? in.payload : Job.fixture("iam-role").payload();
    if (source.path("variables").isArray()) {
      for (var v : source.path("variables")) {
        if (v.isObject() && v.path("key").isTextual()) {
          raw.remove(v.path("key").asText());
          raw.put(v.path("key").asText(), v.path("value").asText(""));
          isRaw.put(v.path("key").asText(), v.path("raw").asBoolean(false));
        }
      }
    }
    raw.forEach((k, v) -> env.put("CUSTOM_ENV_" + k, isRaw.get(k) ? v : expandOnce(v, raw)));
    return env;
  }

  private static String expandOnce(String value, Map<String, String> vars) {
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(vars.getOrDefault(m.group(1), "")));
    }
    return m.appendTail(out).toString();
  }

  // ---- small file-system helpers for the table ----

  static Path dir(Path p) {
    try {
      return Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path p, String text) {
    try {
      Files.writeString(p, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path sparse(Path p, long size) {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.write('{');
      f.setLength(size);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path link(Path link, Path target) {
    try {
      return Files.createSymbolicLink(link, target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String script(Path tmp, String body) {
    Path s = tmp.resolve("script.sh");
    write(s, "#!/usr/bin/env bash\n" + body + "\n");
    return s.toString();
  }

  /**
   * A directory nothing can be created in: mode 0555, and where that does not stop this user (root),
   * a directory of /proc, which refuses new entries to everyone.
   */
  static Path readOnlyDir(Path p) {
    try {
      Files.createDirectories(p);
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("r-xr-xr-x"));
      Path probe = p.resolve("probe");
      try {
        Files.createDirectory(probe);
        Files.delete(probe);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return Path.of("/proc/self/fdinfo");
      } catch (IOException expected) {
        return p;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
