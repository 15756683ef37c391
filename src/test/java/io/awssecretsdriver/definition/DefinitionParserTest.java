package io.awssecretsdriver.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.awssecretsdriver.failure.DriverException;
import io.awssecretsdriver.job.JobVariable;
import io.awssecretsdriver.job.JobVariables;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DefinitionParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";

  private static JobVariables vars(String... keyValues) {
    List<JobVariable> list = new ArrayList<>();
    list.add(new JobVariable("CI_JOB_ID", "812", false, false, false));
    list.add(new JobVariable("CI_PROJECT_ID", "4711", false, false, false));
    list.add(new JobVariable("CI_SERVER_HOST", "gitlab.example.com", false, false, false));
    for (int i = 0; i < keyValues.length; i += 2) {
      list.add(new JobVariable(keyValues[i], keyValues[i + 1], false, false, false));
    }
    return JobVariables.of(list);
  }

  private static Definitions parse(String json, Origin origin, JobVariables vars) {
    try {
      return new DefinitionParser(vars).parse(JSON.readTree(json), origin);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SecretDefinition one(String json, JobVariables vars) {
    Definitions d = parse(json, Origin.SECRETS_KEYWORD, vars);
    assertEquals(List.of(), d.problems());
    assertEquals(1, d.valid().size());
    return d.valid().get(0);
  }

  private static String problem(String json, JobVariables vars) {
    Definitions d = parse(json, Origin.SECRETS_KEYWORD, vars);
    assertEquals(1, d.problems().size(), () -> "expected one problem, got " + d.problems());
    return d.problems().get(0);
  }

  @Test
  void longFormWithServerBlockAsGitLabSendsIt() {
    SecretDefinition d = one("""
        {"DB": {"aws_secrets_manager": {"secret_id": "app/db", "field": "password",
          "server": {"region": "us-east-1", "jwt": "$AWS_ID_TOKEN", "role_arn": "arn:aws:iam::123456789012:role/r"}}, "file": false}}""",
        vars("AWS_ID_TOKEN", JWT));
    assertEquals("app/db", d.secretId());
    assertEquals(Optional.of("password"), d.field());
    assertEquals(Optional.of("us-east-1"), d.jobRegion());
    assertEquals(Optional.of(new IdToken("AWS_ID_TOKEN", JWT)), d.idToken());
    assertEquals("812-4711-gitlab.example.com", d.roleSessionName());
    assertFalse(d.file());
    assertTrue(d.usesOidc());
  }

  @Test
  void shortFormSplitsTheFieldAtTheHash() {
    SecretDefinition d = one("{\"K\": {\"aws_secrets_manager\": \"app/api#api_key\"}}", vars());
    assertEquals("app/api", d.secretId());
    assertEquals(Optional.of("api_key"), d.field());
    assertTrue(d.file(), "file defaults to true");
    assertFalse(d.usesOidc());
  }

  @Test
  void shortFormWithoutFieldReadsTheWholeSecret() {
    assertEquals(Optional.empty(), one("{\"K\": {\"aws_secrets_manager\": \"app/api\"}}", vars()).field());
  }

  @Test
  void perSecretSettingsOverrideTheServerOnes() {
    SecretDefinition d = one("""
        {"EU": {"aws_secrets_manager": {"secret_id": "eu/db", "region": "eu-west-1",
          "role_arn": "arn:aws:iam::123456789012:role/eu", "role_session_name": "gitlab-eu",
          "server": {"region": "us-east-1", "jwt": "$EU_TOKEN", "role_arn": "arn:aws:iam::123456789012:role/default"}}}}""",
        vars("EU_TOKEN", JWT));
    assertEquals(Optional.of("eu-west-1"), d.effectiveRegion(Optional.empty()));
    assertEquals(Optional.of("arn:aws:iam::123456789012:role/eu"), d.roleArn());
    assertEquals("gitlab-eu", d.roleSessionName());
    assertEquals("EU_TOKEN", d.idToken().orElseThrow().variable());
  }

  @Test
  void arnRegionWinsOverTheJobRegionButNotOverAnExplicitOne() {
    SecretDefinition d = one("""
        {"X": {"aws_secrets_manager": {"secret_id": "arn:aws:secretsmanager:eu-central-1:987654321098:secret:s-AbCdEf",
          "server": {"region": "us-east-1"}}}}""", vars());
    assertEquals(Optional.of("eu-central-1"), d.effectiveRegion(Optional.of("ap-south-1")));
    String p = problem("""
        {"X": {"aws_secrets_manager": {"secret_id": "arn:aws:secretsmanager:eu-central-1:987654321098:secret:s-AbCdEf",
          "region": "us-west-2"}}}""", vars());
    assertTrue(p.contains("'region' is us-west-2 but the ARN in 'secret_id' is in eu-central-1"), p);
  }

  @Test
  void definitionsAreExpandedWithJobVariables() {
    SecretDefinition d = one("{\"X\": {\"aws_secrets_manager\": {\"secret_id\": \"$ENV_NAME/db\", \"field\": \"${F}\"}}}",
        vars("ENV_NAME", "staging", "F", "password"));
    assertEquals("staging/db", d.secretId());
    assertEquals(Optional.of("password"), d.field());
  }

  @Test
  void sessionNameDefaultIsMadeValidForSts() {
    JobVariables v = JobVariables.of(List.of(new JobVariable("CI_JOB_ID", "1", false, false, false),
        new JobVariable("CI_PROJECT_ID", "2", false, false, false),
        new JobVariable("CI_SERVER_HOST", "gitlab.example.com:8443/with path and a very long suffix that goes past sixty-four", false, false, false)));
    String name = new DefinitionParser(v).defaultSessionName();
    assertTrue(name.matches("[A-Za-z0-9_+=,.@-]{2,64}"), name);
    assertEquals(64, name.length());
    assertTrue(name.startsWith("1-2-gitlab.example.com-8443-with-path"), name);
  }

  @Test
  void invalidUserSessionNameIsRefusedClearly() {
    String p = problem("{\"X\": {\"aws_secrets_manager\": {\"secret_id\": \"a/b\", \"role_session_name\": \"has space\","
        + " \"role_arn\": \"arn:aws:iam::123456789012:role/r\", \"server\": {\"jwt\": \"$T\"}}}}", vars("T", JWT));
    assertTrue(p.startsWith("Secret \"X\": the role session name 'has space' is invalid"), p);
  }

  @Test
  void everyBrokenEntryIsReportedAndTheGoodOnesKept() {
    Definitions d = parse("""
        {"GOOD": {"aws_secrets_manager": "a/b"},
         "BOTH": {"aws_secrets_manager": {"secret_id": "a/b", "version_id": "01234567-89ab-cdef-0123-456789abcdef", "version_stage": "AWSCURRENT"}},
         "NOID": {"aws_secrets_manager": {"field": "x"}},
         "BADARN": {"aws_secrets_manager": {"secret_id": "arn:aws:s3:::bucket"}},
         "BADREGION": {"aws_secrets_manager": {"secret_id": "a/b", "region": "mars-1"}},
         "FILE": {"aws_secrets_manager": "a/b", "file": "yes"},
         "NUMBER": {"aws_secrets_manager": {"secret_id": 12}},
         "1BAD": {"aws_secrets_manager": "a/b"},
         "VAULT": {"vault": "ops/token@secret"}}""", Origin.SECRETS_KEYWORD, vars());
    assertEquals(List.of("GOOD"), d.valid().stream().map(SecretDefinition::variable).toList());
    assertEquals(7, d.problems().size(), d.problems()::toString);
    assertEquals(List.of("VAULT"), d.otherKinds());
    String all = String.join("\n", d.problems());
    for (String expected : List.of("Secret \"BOTH\": sets both 'version_id' and 'version_stage'", "Secret \"NOID\": has no 'secret_id'",
        "Secret \"BADARN\": 'secret_id' arn:aws:s3:::bucket is not a Secrets Manager secret ARN",
        "Secret \"BADREGION\": 'region' is 'mars-1', which is not an AWS region", "Secret \"FILE\": 'file' must be true or false",
        "Secret \"NUMBER\": 'secret_id' must be a string", "Secret \"1BAD\": is not a valid CI variable name")) {
      assertTrue(all.contains(expected), () -> expected + " not in\n" + all);
    }
  }

  @Test
  void jwtNeverAppearsInProblems() {
    String p = problem("{\"X\": {\"aws_secrets_manager\": {\"secret_id\": \"a/b\", \"server\": {\"jwt\": \"$AWS_ID_TOKEN\"}}}}",
        vars("AWS_ID_TOKEN", JWT));
    assertTrue(p.contains("Role ARN is required when using JWT"), p);
    assertFalse(p.contains(JWT));
  }

  @Test
  void definitionsVariableIsStrictAboutKeys() {
    JsonNode tree = DefinitionsVariable.parse("AWS_SECRETS_MANAGER_SECRETS", """
        DB:
          aws_secrets_manager:
            secret_id: app/db
            feild: password
        """, 65536);
    Definitions d = new DefinitionParser(vars()).parse(tree, Origin.DEFINITIONS_VARIABLE);
    assertEquals(1, d.problems().size());
    assertTrue(d.problems().get(0).contains("unknown key 'aws_secrets_manager.feild'"), d.problems().get(0));
  }

  @Test
  void definitionsVariableKeepsTokenReferences() {
    JsonNode tree = DefinitionsVariable.parse("V", """
        DB:
          aws_secrets_manager: {secret_id: app/db, role_arn: 'arn:aws:iam::123456789012:role/r'}
          token: $EU_TOKEN
        """, 65536);
    SecretDefinition d = new DefinitionParser(vars("EU_TOKEN", JWT)).parse(tree, Origin.DEFINITIONS_VARIABLE).valid().get(0);
    assertEquals(new IdToken("EU_TOKEN", JWT), d.idToken().orElseThrow());
  }

  @Test
  void definitionsVariableLimitsSizeAndNesting() {
    DriverException big = org.junit.jupiter.api.Assertions.assertThrows(DriverException.class,
        () -> DefinitionsVariable.parse("V", "A: " + "x".repeat(300), 256));
    assertTrue(big.lines().get(0).startsWith("V is 303 bytes, more than the 256"), big.lines().get(0));
    DriverException deep = org.junit.jupiter.api.Assertions.assertThrows(DriverException.class,
        () -> DefinitionsVariable.parse("V", "a: " + "[".repeat(40) + "]".repeat(40), 65536));
    assertTrue(deep.lines().get(0).startsWith("V is not valid YAML"), deep.lines().get(0));
  }
}
