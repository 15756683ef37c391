package io.awssecretsdriver.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awssecretsdriver.config.DriverConfig;
import io.awssecretsdriver.config.DriverConfigLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobCheckTest {
  private static List<String> check(String yaml, String... args) {
    return check(DriverConfig.defaults("(built-in defaults)"), yaml, args);
  }

  private static List<String> check(DriverConfig config, String yaml, String... args) {
    List<String> all = new ArrayList<>(List.of("inline.yml"));
    all.addAll(List.of(args));
    CheckOptions options = CheckOptions.parse(all);
    CiFile file = CiFile.parse("inline.yml", yaml);
    return new JobCheck(config, options).check(file.job("job").orElseThrow()).stream().map(Finding::line).toList();
  }

  @Test
  void predefinedVariablesAreResolvedAtRunTimeUnlessTheOptionsTellThem() {
    String yaml = "variables: {AWS_REGION: us-east-1}\njob:\n  secrets:\n    DB:\n"
        + "      aws_secrets_manager: 'apps/${CI_PROJECT_PATH}/$CI_COMMIT_REF_SLUG/db#password'\n  script: [echo]\n";
    assertEquals(List.of("OK   DB: apps/$CI_PROJECT_PATH/$CI_COMMIT_REF_SLUG/db#password in us-east-1 with the runner manager's "
        + "identity, file: true; CI_PROJECT_PATH, CI_COMMIT_REF_SLUG resolved at run time"), check(yaml));
    assertEquals(List.of("OK   DB: apps/acme/payments/feature-x-1/db#password in us-east-1 with the runner manager's identity, "
        + "file: true"), check(yaml, "--project", "acme/payments", "--ref", "Feature/X_1"));
  }

  @Test
  void predefinedVariablesReachedThroughOtherVariablesCountToo() {
    String yaml = "variables:\n  AWS_REGION: us-east-1\n  AWS_ROLE_ARN: arn:aws:iam::123456789012:role/$CI_PROJECT_NAME\n"
        + "job:\n  id_tokens:\n    AWS_ID_TOKEN: {aud: sts.amazonaws.com}\n  secrets:\n    DB:\n"
        + "      aws_secrets_manager: 'app/db'\n  script: [echo]\n";
    assertEquals(List.of("OK   DB: app/db in us-east-1 with role arn:aws:iam::123456789012:role/$CI_PROJECT_NAME (ID token "
        + "AWS_ID_TOKEN), file: true; CI_PROJECT_NAME resolved at run time"), check(yaml));
  }

  @Test
  void idTokensFromDefaultCountAndATokenWithoutAudienceIsReported() {
    String yaml = "variables: {AWS_REGION: us-east-1, AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/r'}\n"
        + "default:\n  id_tokens:\n    AWS_ID_TOKEN: {aud: sts.amazonaws.com}\n"
        + "job:\n  secrets:\n    DB: {aws_secrets_manager: 'app/db'}\n  script: [echo]\n";
    assertEquals(List.of("OK   DB: app/db in us-east-1 with role arn:aws:iam::123456789012:role/r (ID token AWS_ID_TOKEN), file: true"),
        check(yaml));
    String noAud = yaml.replace("default:\n  id_tokens:\n    AWS_ID_TOKEN: {aud: sts.amazonaws.com}\n",
        "default:\n  id_tokens:\n    AWS_ID_TOKEN: {}\n");
    List<String> lines = check(noAud);
    assertEquals("FAIL ID token AWS_ID_TOKEN has no `aud:`: set the audience your IAM OIDC identity provider expects, such as "
        + "`aud: sts.amazonaws.com`.", lines.get(0));
    assertTrue(lines.get(1).startsWith("FAIL Secret \"DB\": a role ARN is set"), lines.get(1));
  }

  @Test
  void theDefinitionsVariableIsCheckedLikeTheKeyword() {
    String yaml = "variables:\n  AWS_REGION: us-east-1\n  AWS_SECRETS_MANAGER_SECRETS: |\n"
        + "    API_KEY:\n      aws_secrets_manager: 'app/api#key'\n      file: false\n"
        + "    DB:\n      aws_secrets_manager: 'app/db'\n"
        + "    BROKEN:\n      aws_secrets_manager: {field: x}\n"
        + "job:\n  secrets:\n    DB: {aws_secrets_manager: 'app/db'}\n  script: [echo]\n";
    assertEquals(List.of(
        "OK   DB: app/db in us-east-1 with the runner manager's identity, file: true",
        "FAIL Secret \"DB\" is defined both under `secrets:` and in AWS_SECRETS_MANAGER_SECRETS: keep one of them.",
        "OK   API_KEY (in AWS_SECRETS_MANAGER_SECRETS): app/api#key in us-east-1 with the runner manager's identity, file: false",
        "FAIL Secret \"BROKEN\": has no 'secret_id': give the secret's name or ARN. (in AWS_SECRETS_MANAGER_SECRETS)"), check(yaml));
  }

  @Test
  void aMissingRegionIsUndecidedForItMayBeAProjectVariable() {
    String yaml = "job:\n  secrets:\n    DB: {aws_secrets_manager: 'app/db'}\n  script: [echo]\n";
    assertEquals(List.of("NOTE Secret \"DB\" (app/db): no AWS region is known: set AWS_REGION in the job's variables, 'region' on "
        + "the secret, or use the secret's ARN. (if AWS_REGION is a project or group CI/CD variable, pass it with --var "
        + "AWS_REGION=...)"), check(yaml));
    DriverConfig withDefault = DriverConfigLoader.parse("inline", "resolution:\n  default_region: eu-west-1\n");
    assertEquals(List.of("OK   DB: app/db in eu-west-1 with the runner manager's identity, file: true"), check(withDefault, yaml));
  }

  @Test
  void otherKindsAndMalformedSecretsBlocks() {
    assertEquals(List.of("SKIP V: not ours (vault): left to the resolver it names", "SKIP G: not ours (gcp_secret_manager): left to "
        + "the resolver it names"), check("job:\n  secrets:\n    V: {vault: a/b@c}\n    G: {gcp_secret_manager: {name: x}}\n"));
    assertEquals(List.of("FAIL `secrets:` must be a mapping of CI variable names to definitions, found a list."),
        check("job:\n  secrets: [a]\n"));
    assertEquals(List.of(), check("job:\n  script: [echo]\n"));
  }
}
