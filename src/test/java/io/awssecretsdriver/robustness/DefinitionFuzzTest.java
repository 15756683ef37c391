package io.awssecretsdriver.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.awssecretsdriver.definition.AwsNames;
import io.awssecretsdriver.definition.DefinitionParser;
import io.awssecretsdriver.definition.Definitions;
import io.awssecretsdriver.definition.DefinitionsVariable;
import io.awssecretsdriver.definition.Origin;
import io.awssecretsdriver.definition.SecretDefinition;
import io.awssecretsdriver.failure.DriverException;
import io.awssecretsdriver.job.JobPayload;
import io.awssecretsdriver.job.JobVariable;
import io.awssecretsdriver.job.JobVariables;
import io.awssecretsdriver.job.VariableExpander;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of what reads a job's definitions: {@link DefinitionParser} on payload-shaped JSON
 * trees, {@link DefinitionsVariable} on YAML text, {@link JobPayload} on whole payload files and
 * {@link VariableExpander} on reference-laden text. Each campaign runs for a bounded time and a
 * bounded count under {@code assertTimeoutPreemptively}. The only clean failures are
 * {@link DriverException} and the problems collected in {@link Definitions#problems()}; those must be
 * one bounded printable line each and never show the value of a masked variable planted in the job.
 *
 * <p>{@code -Dfuzz.seed=N} replays a run, {@code -Dfuzz.seconds} and {@code -Dfuzz.cases} size it.
 */
class DefinitionFuzzTest {
  static final long SEED = Long.getLong("fuzz.seed", 0xF0225EEDL);
  static final Duration BUDGET = Duration.ofMillis((long) (Double.parseDouble(System.getProperty("fuzz.seconds", "2")) * 1000));
  static final int MAX_CASES = Integer.getInteger("fuzz.cases", 50_000);
  static final Duration HARD_LIMIT = BUDGET.plusSeconds(20);
  /** How many failing examples a report shows. */
  static final int SHOWN = 5;
  /** Longest acceptable message line: a definition problem names a field, it never dumps it. */
  static final int MAX_LINE = 1000;

  /** Values of masked variables: no message may ever contain them. */
  static final String MARKER = "s3cr3t MARKER value 4711";
  static final String MARKER_JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJNQVJLRVIifQ.bWFya2VyLXNpZ25hdHVyZQ";
  static final String MARKER_PLAIN = "MarkerPlain0123456789";
  static final List<String> NAMES = List.of("AWS_REGION", "AWS_ROLE_ARN", "AWS_ID_TOKEN", "AWS_ROLE_SESSION_NAME", "CI_JOB_ID", "CI_PROJECT_ID",
      "CI_SERVER_HOST", "A", "B", "LOOP", "DB_PASSWORD", "SECRET_MARKER", "PLAIN_SECRET", "EMPTY");
  static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
  static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SUMMARY = new ArrayList<>();

  @TempDir Path tmp;

  @AfterAll
  static void summary() {
    System.out.println("fuzz: seed " + SEED + " (replay with -Dfuzz.seed=" + SEED + "), budget " + BUDGET.toMillis() + " ms or " + MAX_CASES
        + " cases per campaign");
    SUMMARY.forEach(s -> System.out.println("fuzz: " + s));
  }

  // ------------------------------------------------------------------ campaigns

  /** Runs {@code body} on generated cases until the budget or the count is spent; returns the count. */
  private static int campaign(String name, long seed, Consumer<Random> body) {
    int[] count = {0};
    long started = System.nanoTime();
    assertTimeoutPreemptively(HARD_LIMIT, () -> {
      Random rng = new Random(seed);
      long end = System.nanoTime() + BUDGET.toNanos();
      while (count[0] < MAX_CASES && System.nanoTime() < end) {
        body.accept(rng);
        count[0]++;
      }
    }, () -> name + ": a case did not finish (seed " + seed + ", after " + count[0] + " cases)");
    SUMMARY.add(name + ": " + count[0] + " cases in " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
    return count[0];
  }

  /** Collected property violations, reported together with the first few examples. */
  static final class Findings {
    final String property;
    final List<String> examples = new ArrayList<>();
    int count;

    Findings(String property) {
      this.property = property;
    }

    void add(String example) {
      count++;
      if (examples.size() < SHOWN) {
        examples.add(example);
      }
    }

    void assertNone(int cases) {
      SUMMARY.add("  " + property + ": " + count + " violations in " + cases + " cases");
      assertEquals(0, count, () -> property + ": " + count + " of " + cases + " cases violate it (seed " + SEED + "); first examples:\n"
          + String.join("\n---\n", examples));
    }
  }

  // ------------------------------------------------------------------ DefinitionParser

  @Test
  void parserFailsOnlyWithCollectedProblems() {
    Findings f = new Findings("DefinitionParser throws only DriverException, problems are collected");
    int n = campaign("DefinitionParser/exceptions", SEED, rng -> parseCase(rng, (c, r) -> {
      if (r.thrown != null && !(r.thrown instanceof DriverException)) {
        f.add(c + "\n=> " + r.thrown);
      }
    }));
    f.assertNone(n);
  }

  @Test
  void parserProblemsAreOneBoundedPrintableLine() {
    Findings f = new Findings("every problem is one printable line of at most " + MAX_LINE + " characters");
    int n = campaign("DefinitionParser/lines", SEED + 1, rng -> parseCase(rng, (c, r) -> {
      for (String p : r.messages()) {
        if (CONTROL.matcher(p).find() || p.length() > MAX_LINE) {
          f.add(c + "\n=> " + esc(p));
          return;
        }
      }
    }));
    f.assertNone(n);
  }

  @Test
  void parserProblemsNeverShowAMaskedValue() {
    Findings f = new Findings("no problem shows the value of a masked variable");
    int n = campaign("DefinitionParser/masked", SEED + 2, rng -> parseCase(rng, (c, r) -> {
      for (String p : r.messages()) {
        if (p.contains(MARKER) || p.contains(MARKER_JWT) || p.contains(MARKER_PLAIN)) {
          f.add(c + "\n=> " + esc(p));
          return;
        }
      }
    }));
    f.assertNone(n);
  }

  @Test
  void parserAcceptsOnlyDefinitionsThatAwsCanTake() {
    Findings f = new Findings("every accepted definition is complete and well-formed");
    int n = campaign("DefinitionParser/valid", SEED + 3, rng -> parseCase(rng, (c, r) -> {
      if (r.result == null) {
        return;
      }
      for (SecretDefinition d : r.result.valid()) {
        String why = invalidity(d);
        if (why != null) {
          f.add(c + "\n=> accepted " + d.variable() + ": " + why);
          return;
        }
      }
    }));
    f.assertNone(n);
  }

  record ParseResult(Definitions result, Throwable thrown) {
    List<String> messages() {
      List<String> m = new ArrayList<>();
      if (result != null) {
        m.addAll(result.problems());
      }
      if (thrown instanceof DriverException d) {
        m.addAll(d.lines());
      }
      return m;
    }
  }

  private static void parseCase(Random rng, java.util.function.BiConsumer<String, ParseResult> check) {
    List<JobVariable> vars = variables(rng);
    ObjectNode secrets = secretsTree(rng);
    Origin origin = rng.nextInt(4) == 0 ? Origin.DEFINITIONS_VARIABLE : Origin.SECRETS_KEYWORD;
    ParseResult r;
    try {
      r = new ParseResult(new DefinitionParser(JobVariables.of(vars)).parse(secrets, origin), null);
    } catch (StackOverflowError t) {
      r = new ParseResult(null, t);
    } catch (VirtualMachineError t) {
      throw t;
    } catch (Throwable t) {
      r = new ParseResult(null, t);
    }
    check.accept(describe(vars, secrets, origin), r);
  }

  /** Null when the definition is one AWS can be asked for; else what is wrong with it. */
  static String invalidity(SecretDefinition d) {
    if (!AwsNames.isVariableName(d.variable())) {
      return "variable name";
    }
    if (d.secretId().isBlank() || !d.secretId().equals(d.secretId().trim()) || d.secretId().length() > 2048) {
      return "secret_id '" + shorten(d.secretId()) + "'";
    }
    if (!d.secretId().matches("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@!-]+|[A-Za-z0-9/_+=.@!-]{1,512}")) {
      return "secret_id shape '" + shorten(d.secretId()) + "'";
    }
    if (d.field().isPresent() && d.field().get().isEmpty()) {
      return "empty field";
    }
    if (d.versionId().isPresent() && d.versionStage().isPresent()) {
      return "version_id and version_stage";
    }
    if (d.region().filter(r -> !AwsNames.isRegion(r)).isPresent() || d.jobRegion().filter(r -> !AwsNames.isRegion(r)).isPresent()) {
      return "region";
    }
    if (d.roleArn().isPresent() != d.idToken().isPresent()) {
      return "role ARN and ID token must come together";
    }
    if (d.roleArn().filter(a -> !a.matches("arn:aws[a-z-]*:iam::\\d{12}:role/[A-Za-z0-9_+=,.@/-]{1,512}")).isPresent()) {
      return "role ARN";
    }
    if (!d.roleSessionName().matches("[A-Za-z0-9_+=,.@-]{2,64}")) {
      return "session name '" + shorten(d.roleSessionName()) + "'";
    }
    if (d.idToken().filter(t -> t.jwt().isEmpty()).isPresent()) {
      return "empty ID token";
    }
    return null;
  }

  // ------------------------------------------------------------------ DefinitionsVariable

  @Test
  void definitionsVariableFailsOnlyWithOneBoundedLine() {
    Findings f = new Findings("DefinitionsVariable.parse throws only DriverException (build failure), one bounded printable line");
    int n = campaign("DefinitionsVariable", SEED + 4, rng -> {
      String yaml = yaml(rng);
      try {
        ObjectNode tree = DefinitionsVariable.parse("AWS_SECRETS_MANAGER_SECRETS", yaml, 64 * 1024);
        // Whatever it accepted goes on to the parser, as in prepare.
        Definitions d = new DefinitionParser(JobVariables.of(variables(rng))).parse(tree, Origin.DEFINITIONS_VARIABLE);
        for (String p : d.problems()) {
          if (CONTROL.matcher(p).find() || p.length() > MAX_LINE) {
            f.add("yaml: " + esc(yaml) + "\n=> problem " + esc(p));
            return;
          }
        }
      } catch (DriverException e) {
        if (e.kind() != io.awssecretsdriver.failure.FailureKind.BUILD
            || e.lines().stream().anyMatch(l -> CONTROL.matcher(l).find() || l.length() > MAX_LINE)) {
          f.add("yaml: " + esc(yaml) + "\n=> " + e.kind() + " " + esc(String.join(" | ", e.lines())));
        }
      } catch (StackOverflowError e) {
        f.add("yaml: " + esc(yaml) + "\n=> " + e);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable t) {
        f.add("yaml: " + esc(yaml) + "\n=> " + t);
      }
    });
    f.assertNone(n);
  }

  // ------------------------------------------------------------------ JobPayload

  @Test
  void payloadReaderFailsOnlyWithASystemFailure() throws IOException {
    Findings f = new Findings("JobPayload.read throws only DriverException (system failure)");
    Path file = tmp.resolve("response.json");
    int n = campaign("JobPayload", SEED + 5, rng -> {
      byte[] bytes = payloadBytes(rng);
      try {
        Files.write(file, bytes);
        JobPayload.read(file);
      } catch (DriverException e) {
        if (e.kind() != io.awssecretsdriver.failure.FailureKind.SYSTEM) {
          f.add(esc(new String(bytes, StandardCharsets.UTF_8)) + "\n=> " + e.kind() + " " + e.getMessage());
        }
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable t) {
        f.add(esc(new String(bytes, StandardCharsets.UTF_8)) + "\n=> " + t);
      }
    });
    f.assertNone(n);
  }

  // ------------------------------------------------------------------ VariableExpander

  @Test
  void expanderTerminatesInOnePassWithBoundedOutput() {
    Findings f = new Findings("expansion never throws, is one pass (a value's own references stay as written) and grows boundedly");
    int n = campaign("VariableExpander/one-pass", SEED + 6, rng -> {
      Map<String, String> values = expanderValues(rng);
      String text = expanderText(rng, values.keySet());
      try {
        String out = VariableExpander.expand(text, values::get);
        int longest = values.values().stream().mapToInt(String::length).max().orElse(0);
        if (out.length() > (long) text.length() * (longest + 2) + 2) {
          f.add(esc(text) + "\n=> output of " + out.length() + " characters");
        } else if (!text.contains("SECRET_MARKER") && out.contains(MARKER)) {
          f.add(esc(text) + " with " + esc(values.toString()) + "\n=> expanded a value's own reference: " + esc(out));
        }
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable t) {
        f.add(esc(text) + "\n=> " + t);
      }
    });
    f.assertNone(n);
  }

  @Test
  void expanderMatchesGitLabRunnersExpansion() {
    Findings f = new Findings("expansion equals GitLab Runner's (Go os.Expand with JobVariables.Get)");
    int n = campaign("VariableExpander/runner", SEED + 7, rng -> {
      Map<String, String> values = expanderValues(rng);
      String text = expanderText(rng, values.keySet());
      String expected = RunnerExpand.expand(text, values);
      String actual;
      try {
        actual = VariableExpander.expand(text, values::get);
      } catch (RuntimeException e) {
        actual = e.toString();
      }
      if (!expected.equals(actual)) {
        f.add(esc(text) + " with " + esc(values.toString()) + "\n=> driver " + esc(actual) + ", runner "
            + esc(expected));
      }
    });
    f.assertNone(n);
  }

  /**
   * GitLab Runner's expansion, ported from its source: {@code JobVariables.ExpandValue} is Go's
   * {@code os.Expand(value, b.Get)}, and {@code Get} maps {@code $} to itself, the shell specials
   * {@code * # @ ! ? 0-9} to empty, any other name to the variable's value or empty.
   */
  static final class RunnerExpand {
    static String expand(String s, Map<String, String> vars) {
      Function<String, String> get = key -> switch (key) {
        case "$" -> "$";
        case "*", "#", "@", "!", "?", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" -> "";
        default -> vars.getOrDefault(key, "");
      };
      StringBuilder buf = null;
      int i = 0;
      for (int j = 0; j < s.length(); j++) {
        if (s.charAt(j) == '$' && j + 1 < s.length()) {
          if (buf == null) {
            buf = new StringBuilder();
          }
          buf.append(s, i, j);
          String rest = s.substring(j + 1);
          String[] name = new String[1];
          int w = shellName(rest, name);
          if (name[0].isEmpty() && w > 0) {
            // invalid syntax: eaten
          } else if (name[0].isEmpty()) {
            buf.append('$');
          } else {
            buf.append(get.apply(name[0]));
          }
          j += w;
          i = j + 1;
        }
      }
      return buf == null ? s : buf.append(s.substring(i)).toString();
    }

    static boolean special(char c) {
      return "*#$@!?-0123456789".indexOf(c) >= 0;
    }

    static boolean alnum(char c) {
      return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    static int shellName(String s, String[] name) {
      if (s.charAt(0) == '{') {
        if (s.length() > 2 && special(s.charAt(1)) && s.charAt(2) == '}') {
          name[0] = s.substring(1, 2);
          return 3;
        }
        for (int i = 1; i < s.length(); i++) {
          if (s.charAt(i) == '}') {
            if (i == 1) {
              name[0] = "";
              return 2;
            }
            name[0] = s.substring(1, i);
            return i + 1;
          }
        }
        name[0] = "";
        return 1;
      }
      if (special(s.charAt(0))) {
        name[0] = s.substring(0, 1);
        return 1;
      }
      int i = 0;
      while (i < s.length() && alnum(s.charAt(i))) {
        i++;
      }
      name[0] = s.substring(0, i);
      return i;
    }
  }

  // ------------------------------------------------------------------ generators

  static final String[] FRAGMENTS = {
      "app-secrets/database", "app/db", "prod/api-key", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x", "arn:aws:secretsmanager:us-east-1:123:secret:x", "arn:aws:s3:::bucket",
      "us-east-1", "eu-west-1", "mars", "US-EAST-1", "arn:aws:iam::123456789012:role/gitlab", "arn:aws:iam::123456789012:user/x",
      "password", "api_key", "AWSCURRENT", "AWS PREVIOUS", "01234567-89ab-cdef-0123-456789abcdef", "v1", "session-1", "a", "my session",
      "$AWS_ID_TOKEN", "${AWS_ID_TOKEN}", "$SECRET_MARKER", "${SECRET_MARKER}", "$DB_PASSWORD", "$PLAIN_SECRET", "$A", "${B}", "$LOOP",
      "$EMPTY", "$UNDEFINED", "$AWS_REGION", "$AWS_ROLE_ARN", "$$", "$", "${", "${}", "}", "$1", "$?", "${#}", "#", "##", "",
      " ", "  \t", "\n", "\r\n", "\u0000", "\u001b[31m", "\ud800", "\udfff", "\ud83d\udd11", "é", "ü", "中文", "\u202e", "null", "true",
      "ERROR: Job succeeded", "../../etc/passwd", "/", ".", "-", "=", "@", "!", "+", ",",
  };

  static String string(Random rng) {
    int kind = rng.nextInt(20);
    if (kind == 0) {
      return "x".repeat(rng.nextInt(3000));
    }
    if (kind == 1) {
      StringBuilder sb = new StringBuilder();
      int len = rng.nextInt(40);
      for (int i = 0; i < len; i++) {
        sb.append((char) rng.nextInt(rng.nextBoolean() ? 128 : 0x10000));
      }
      return sb.toString();
    }
    StringBuilder sb = new StringBuilder();
    int parts = 1 + rng.nextInt(rng.nextInt(4) == 0 ? 6 : 2);
    for (int i = 0; i < parts; i++) {
      sb.append(FRAGMENTS[rng.nextInt(FRAGMENTS.length)]);
    }
    return sb.toString();
  }

  static JsonNode anyJson(Random rng, int depth) {
    JsonNodeFactory n = JsonNodeFactory.instance;
    int kind = rng.nextInt(depth <= 0 ? 6 : 8);
    return switch (kind) {
      case 0 -> n.nullNode();
      case 1 -> n.booleanNode(rng.nextBoolean());
      case 2 -> n.numberNode(rng.nextInt());
      case 3 -> n.numberNode(rng.nextDouble() * 1e300);
      case 4, 5 -> n.textNode(string(rng));
      case 6 -> {
        ArrayNode a = n.arrayNode();
        for (int i = rng.nextInt(4); i > 0; i--) {
          a.add(anyJson(rng, depth - 1));
        }
        yield a;
      }
      default -> {
        ObjectNode o = n.objectNode();
        for (int i = rng.nextInt(4); i > 0; i--) {
          o.set(rng.nextBoolean() ? pick(rng, "secret_id", "field", "region", "server", "jwt", "file", "aws_secrets_manager") : string(rng),
              anyJson(rng, depth - 1));
        }
        yield o;
      }
    };
  }

  @SafeVarargs
  static <T> T pick(Random rng, T... options) {
    return options[rng.nextInt(options.length)];
  }

  /** A value for a definition field: mostly a string, sometimes any JSON. */
  static JsonNode fieldValue(Random rng) {
    return rng.nextInt(6) == 0 ? anyJson(rng, 2) : JsonNodeFactory.instance.textNode(string(rng));
  }

  static ObjectNode secretsTree(Random rng) {
    ObjectNode secrets = JSON.createObjectNode();
    for (int i = rng.nextInt(5); i >= 0; i--) {
      String name = rng.nextInt(8) == 0 ? string(rng) : pick(rng, "DATABASE_PASSWORD", "API_KEY", "TLS_KEY", "X", "_Y1", "a", "DB" + i);
      if (rng.nextInt(5) == 0) {
        secrets.set(name, anyJson(rng, 4));
        continue;
      }
      ObjectNode entry = secrets.putObject(name);
      if (rng.nextInt(5) == 0) {
        entry.set("aws_secrets_manager", JsonNodeFactory.instance.textNode(string(rng) + (rng.nextBoolean() ? "#" + string(rng) : "")));
      } else if (rng.nextInt(20) == 0) {
        entry.set("aws_secrets_manager", anyJson(rng, 3));
      } else {
        ObjectNode spec = entry.putObject("aws_secrets_manager");
        for (String field : List.of("secret_id", "field", "version_id", "version_stage", "region", "role_arn", "role_session_name")) {
          if (rng.nextInt(field.equals("secret_id") ? 8 : 3) != 0) {
            spec.set(field, field.equals("secret_id") && rng.nextBoolean() ? JsonNodeFactory.instance.textNode(pick(rng,
                "app-secrets/database", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf", "$A", "${SECRET_MARKER}"))
                : fieldValue(rng));
          }
        }
        if (rng.nextBoolean()) {
          ObjectNode server = spec.putObject("server");
          for (String field : List.of("region", "jwt", "role_arn", "role_session_name")) {
            if (rng.nextBoolean()) {
              server.set(field, fieldValue(rng));
            }
          }
          if (rng.nextInt(10) == 0) {
            server.set(string(rng), fieldValue(rng));
          }
        } else if (rng.nextInt(10) == 0) {
          spec.set("server", anyJson(rng, 2));
        }
        if (rng.nextInt(10) == 0) {
          spec.set(string(rng), fieldValue(rng));
        }
      }
      if (rng.nextBoolean()) {
        entry.set("file", rng.nextInt(4) == 0 ? anyJson(rng, 1) : JsonNodeFactory.instance.booleanNode(rng.nextBoolean()));
      }
      if (rng.nextInt(4) == 0) {
        entry.set("token", fieldValue(rng));
      }
      if (rng.nextInt(12) == 0) {
        entry.set(string(rng), anyJson(rng, 1));
      }
    }
    return secrets;
  }

  /** The job's variables: references among them (loops too), and masked ones holding the markers. */
  static List<JobVariable> variables(Random rng) {
    List<JobVariable> vars = new ArrayList<>();
    vars.add(new JobVariable("SECRET_MARKER", MARKER, false, false, true));
    vars.add(new JobVariable("DB_PASSWORD", MARKER, rng.nextBoolean(), false, true));
    vars.add(new JobVariable("PLAIN_SECRET", MARKER_PLAIN, false, false, true));
    if (rng.nextBoolean()) {
      vars.add(new JobVariable("AWS_ID_TOKEN", MARKER_JWT, false, false, true));
    }
    for (int i = rng.nextInt(8); i > 0; i--) {
      String key = NAMES.get(rng.nextInt(NAMES.size()));
      if (key.equals("SECRET_MARKER") || key.equals("DB_PASSWORD") || key.equals("PLAIN_SECRET") || key.equals("AWS_ID_TOKEN")) {
        continue;
      }
      String value = switch (key) {
        case "AWS_REGION" -> pick(rng, "us-east-1", "eu-west-1", "mars", "$A", "");
        case "AWS_ROLE_ARN" -> pick(rng, "arn:aws:iam::123456789012:role/gitlab", "$SECRET_MARKER", "nope", "");
        case "LOOP" -> pick(rng, "$LOOP", "${LOOP}$LOOP", "$A");
        case "A" -> pick(rng, "$B", "${SECRET_MARKER}", "app/db", "$$A");
        case "B" -> pick(rng, "$A", "us-east-1", "$DB_PASSWORD");
        default -> string(rng);
      };
      vars.add(new JobVariable(key, value, rng.nextInt(5) == 0, false, rng.nextInt(6) == 0));
    }
    return vars;
  }

  static String yaml(Random rng) {
    String[] pieces = {"DB:\n", "  aws_secrets_manager:\n", "    secret_id: app/db\n", "    field: password\n", "  file: false\n",
        "  token: $AWS_ID_TOKEN\n", "API: {aws_secrets_manager: 'app/api#key'}\n", "- x\n", "[", "]", "{", "}", ": ", "&a ", "*a ",
        "!!binary ", "!!java.net.URL ", "? ", "\t", "'", "\"", "\\", "#", "---\n", "...\n", "|\n  ", ">\n  ", "1: x\n", "null: y\n",
        "~: z\n", "? [a, b]\n: c\n", "DB: &x {a: *x}\n", "\u0000", "\ud800", "é: ü\n", "<<: {a: b}\n", "\n", "  ", "%YAML 1.2\n"};
    StringBuilder sb = new StringBuilder();
    for (int i = rng.nextInt(12); i >= 0; i--) {
      sb.append(rng.nextInt(10) == 0 ? string(rng) : pieces[rng.nextInt(pieces.length)]);
    }
    return sb.toString();
  }

  static byte[] payloadBytes(Random rng) {
    ObjectNode p = JSON.createObjectNode();
    if (rng.nextInt(4) != 0) {
      if (rng.nextInt(5) == 0) {
        p.set("variables", anyJson(rng, 3));
      } else {
        ArrayNode vars = p.putArray("variables");
        for (int i = rng.nextInt(5); i > 0; i--) {
          if (rng.nextInt(6) == 0) {
            vars.add(anyJson(rng, 2));
          } else {
            ObjectNode v = vars.addObject();
            v.set("key", rng.nextInt(8) == 0 ? anyJson(rng, 1) : JsonNodeFactory.instance.textNode(pick(rng, "CI_JOB_ID", "AWS_REGION", "X")));
            v.set("value", rng.nextInt(6) == 0 ? anyJson(rng, 1) : JsonNodeFactory.instance.textNode(string(rng)));
            v.set("raw", anyJson(rng, 0));
            v.set("masked", anyJson(rng, 0));
          }
        }
      }
    }
    p.set("secrets", rng.nextInt(4) == 0 ? anyJson(rng, 3) : secretsTree(rng));
    p.set("job_info", rng.nextBoolean() ? anyJson(rng, 2) : JSON.createObjectNode().put("project_id", 1).put("project_full_path", string(rng)));
    p.set("git_info", anyJson(rng, 2));
    p.set("id", anyJson(rng, 0));
    String text = p.toString();
    switch (rng.nextInt(40)) {
      // Past Jackson's stream limits (nesting, number length): must still be a clean failure.
      case 0 -> text = text.substring(0, text.length() - 1) + ",\"deep\":" + "[".repeat(150 + rng.nextInt(300)) + "]".repeat(450) + "}";
      case 1 -> text = text.substring(0, text.length() - 1) + ",\"n\":" + "7".repeat(500 + rng.nextInt(1500)) + "}";
      default -> { }
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    switch (rng.nextInt(6)) {
      case 0 -> bytes = java.util.Arrays.copyOf(bytes, rng.nextInt(bytes.length + 1)); // truncated
      case 1 -> bytes[rng.nextInt(bytes.length)] = (byte) rng.nextInt(256); // one byte flipped
      default -> { }
    }
    return bytes;
  }

  static Map<String, String> expanderValues(Random rng) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("SECRET_MARKER", MARKER);
    for (String name : List.of("A", "B", "LOOP", "X_1", "_", "é")) {
      if (rng.nextInt(3) != 0) {
        values.put(name, pick(rng, "$SECRET_MARKER", "${SECRET_MARKER}", "$A", "${B}$LOOP", "plain", "", "$", "${", "$$", "${1}", "v-$X_1"));
      }
    }
    return values;
  }

  static String expanderText(Random rng, java.util.Collection<String> names) {
    String[] alphabet = {"$", "$", "$", "{", "}", "$$", "${", "${}", "A", "B", "LOOP", "X_1", "_", "é", "1", "0", "?", "-", "#", "*", "@",
        "!", " ", "/", "x", "\ud83d\udd11", "\ud800", "SECRET_MARKER", "${SECRET_MARKER}", "$A", "${B}", "${A B}", "${é}", "${$}", "${-}"};
    StringBuilder sb = new StringBuilder();
    for (int i = rng.nextInt(16); i >= 0; i--) {
      sb.append(alphabet[rng.nextInt(alphabet.length)]);
    }
    if (rng.nextInt(50) == 0) {
      sb.append("$A".repeat(rng.nextInt(2000)));
    }
    // Keep the marker variable's name out of a third of the texts, for the one-pass property.
    String text = sb.toString();
    return rng.nextInt(3) == 0 ? text.replace("SECRET_MARKER", "SECRET_MARKEX") : text;
  }

  static String describe(List<JobVariable> vars, ObjectNode secrets, Origin origin) {
    Map<String, String> v = new LinkedHashMap<>();
    vars.forEach(x -> v.put(x.key() + (x.masked() ? " (masked)" : "") + (x.raw() ? " (raw)" : ""), x.value()));
    return "origin " + origin + "\nvariables " + esc(v.toString()) + "\nsecrets " + esc(secrets.toString());
  }

  /** Printable ASCII for a report: everything else as \\uXXXX, cut to a readable length. */
  static String esc(String s) {
    StringBuilder sb = new StringBuilder();
    for (char ch : shorten(s).toCharArray()) {
      if (ch >= 0x20 && ch < 0x7f) {
        sb.append(ch);
      } else {
        sb.append(String.format("\\u%04x", (int) ch));
      }
    }
    return sb.toString();
  }

  static String shorten(String s) {
    return s.length() > 600 ? s.substring(0, 600) + "...(" + s.length() + " chars)" : s;
  }
}
