package io.awssecretsdriver.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.awssecretsdriver.failure.DriverException;
import io.awssecretsdriver.job.JobVariable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CiFileTest {
  private static CiFile fixture(String name) {
    Path p = Path.of("test-fixtures/ci").resolve(name);
    return CiFile.read(p.toFile().exists() ? p : Path.of(System.getProperty("user.dir")).resolve(p));
  }

  private static CiJob job(CiFile file, String name) {
    return file.job(name).orElseThrow(() -> new AssertionError("no job " + name + " in " + file.jobs()));
  }

  private static Map<String, String> variables(CiJob job) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JobVariable v : job.variables()) {
      out.put(v.key(), v.value());
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @Test
  void extendsMergesAChainOfTemplatesWithTheJobWinning() {
    CiJob job = job(fixture("extends.yml"), "job-chain");
    assertEquals(Optional.empty(), job.problem());
    assertEquals(Map.of("A", "base-a", "B", "middle-b", "C", "job-c"), variables(job));
    assertEquals(List.of("echo chain"), job.config().get("script"));
  }

  @Test
  void listsAreReplacedNotMerged() {
    CiFile file = fixture("extends.yml");
    assertEquals(List.of("middle", "replaced-not-merged"), job(file, "job-chain").config().get("tags"));
    assertEquals(List.of("base"), job(file, "job-single").config().get("tags"));
  }

  @Test
  void laterBasesWinOverEarlierOnesAndTheJobOverAll() {
    CiJob job = job(fixture("extends.yml"), "job-several");
    assertEquals(Map.of("A", "other-a", "B", "middle-b", "C", "middle-c", "D", "job-d"), variables(job));
    assertEquals(List.of("other"), job.config().get("tags"));
  }

  @Test
  void nestedMappingsMergeKeyByKey() {
    CiJob job = job(fixture("extends.yml"), "job-override-field");
    Map<String, Object> secret = map(map(job.config().get("secrets")).get("DB"));
    assertEquals(Map.of("secret_id", "base/db", "field", "username"), secret.get("aws_secrets_manager"));
    assertEquals(false, secret.get("file"));
  }

  @Test
  void anExplicitNullReplacesTheBasesValue() {
    CiJob job = job(fixture("extends.yml"), "job-null-override");
    assertTrue(job.config().containsKey("tags"));
    assertEquals(null, job.config().get("tags"));
  }

  @Test
  void hiddenTemplatesAreMarkedAndGlobalKeywordsAreNotJobs() {
    CiFile file = fixture("extends.yml");
    assertTrue(job(file, ".base").hidden());
    assertFalse(job(file, "job-chain").hidden());
    CiFile anchors = fixture("anchors.yml");
    List<String> names = anchors.jobs().stream().map(CiJob::name).toList();
    assertEquals(List.of(".aws-variables", ".db-secret", "job-with-anchors", "job-with-alias", "pages"), names);
    assertEquals(List.of("`include:` is not followed: jobs and templates of included files are not checked.",
        "'not-a-job' is not a job: a job must be a mapping of keywords."), anchors.notes());
  }

  @Test
  void cyclesAreReportedWithTheirPath() {
    CiFile file = fixture("extends-broken.yml");
    assertEquals(Optional.of("circular dependency detected in `extends` (job-cycle -> .loop-a -> .loop-b -> .loop-a): remove one "
        + "of the links."), job(file, "job-cycle").problem());
    assertEquals(Optional.of("circular dependency detected in `extends` (job-self -> job-self): remove one of the links."),
        job(file, "job-self").problem());
  }

  @Test
  void elevenLevelsAreAllowedAndTwelveAreNot() {
    CiFile file = fixture("extends-broken.yml");
    CiJob eleven = job(file, "job-eleven-levels");
    assertEquals(Optional.empty(), eleven.problem());
    assertEquals(Map.of("LEVEL", "1"), variables(eleven));
    assertEquals(Optional.of("nesting too deep in `extends`: 'job-twelve-levels' extends through 12 levels, and GitLab allows 11: "
        + "flatten the templates."), job(file, "job-twelve-levels").problem());
  }

  @Test
  void unknownAndMalformedBasesAreNamed() {
    CiFile file = fixture("extends-broken.yml");
    assertEquals(Optional.of("unknown key in `extends` ('.nowhere' is not defined in this file, and check does not read included "
        + "files): fix the name, or define the template here."), job(file, "job-unknown").problem());
    assertEquals(Optional.of("invalid base in `extends`: '.not-a-mapping' is not a mapping."), job(file, "job-not-a-mapping").problem());
    assertEquals(Optional.of("`extends` must be a template name or a list of names, found a mapping."),
        job(file, "job-bad-extends").problem());
  }

  @Test
  void defaultGivesItsKeysToJobsThatDoNotSetThem() {
    CiFile file = fixture("default.yml");
    CiJob all = job(file, "inherits-all");
    assertEquals("default-image:2", all.config().get("image"), "default: wins over the legacy top-level image");
    assertEquals(List.of("echo default"), all.config().get("before_script"));
    assertEquals(Map.of("AWS_ID_TOKEN", Map.of("aud", "sts.amazonaws.com")), all.config().get("id_tokens"));
    assertEquals(Map.of("GLOBAL_A", "global-a", "GLOBAL_B", "global-b"), variables(all));

    CiJob own = job(file, "own-keys-win");
    assertEquals("own-image:3", own.config().get("image"));
    assertEquals(Map.of("OTHER_TOKEN", Map.of("aud", "other")), own.config().get("id_tokens"), "not merged with default's");
    assertEquals(Map.of("GLOBAL_A", "global-a", "GLOBAL_B", "job-b"), variables(own));
  }

  @Test
  void inheritControlsDefaultAndGlobalVariables() {
    CiFile file = fixture("default.yml");
    CiJob none = job(file, "inherits-nothing");
    assertFalse(none.config().containsKey("image"));
    assertFalse(none.config().containsKey("id_tokens"));
    assertEquals(Map.of(), variables(none));

    CiJob some = job(file, "inherits-some");
    assertFalse(some.config().containsKey("image"));
    assertTrue(some.config().containsKey("id_tokens"));
    assertEquals(Map.of("GLOBAL_B", "global-b"), variables(some));
  }

  @Test
  void anchorsAliasesAndMergeKeysAreExpanded() {
    CiFile file = fixture("anchors.yml");
    CiJob merged = job(file, "job-with-anchors");
    assertEquals(Map.of("AWS_REGION", "eu-west-1", "AWS_ROLE_SESSION_NAME", "job-wins"), variables(merged));
    assertEquals(List.of("DATABASE_PASSWORD", "API_KEY"), List.copyOf(map(merged.config().get("secrets")).keySet()));
    CiJob alias = job(file, "job-with-alias");
    assertEquals(Map.of("AWS_REGION", "eu-west-1", "AWS_ROLE_SESSION_NAME", "from-anchor"), variables(alias));
  }

  @Test
  void referencesAreResolvedAfterExtends() {
    CiFile file = fixture("references.yml");
    assertEquals(Map.of("AWS_REGION", "eu-north-1"), variables(job(file, "job-reference")));
    assertEquals(List.of("TOKEN"), List.copyOf(map(job(file, "job-reference").config().get("secrets")).keySet()));
    assertEquals(Map.of("AWS_REGION", "eu-central-1"), variables(job(file, "job-reference-one-variable")));
    assertEquals(Optional.of("!reference [.aws, nothing] points to nothing in this file (check does not read included files): fix "
        + "the path."), job(file, "job-reference-missing").problem());
  }

  @Test
  void aSpecHeaderDocumentIsSkipped() {
    CiFile file = fixture("with-spec-header.yml");
    assertEquals(List.of("job-after-header"), file.jobs().stream().map(CiJob::name).toList());
  }

  @Test
  void variablesTakeGitLabsForms() {
    CiFile file = CiFile.parse("inline", """
        variables:
          PLAIN: text
          NUMBER: 42
          DESCRIBED: {value: v, description: shown in the UI}
          RAW: {value: $NOT_EXPANDED, expand: false}
        job:
          script: [echo]
        """);
    List<JobVariable> vars = job(file, "job").variables();
    assertEquals(List.of("PLAIN=text raw=false", "NUMBER=42 raw=false", "DESCRIBED=v raw=false", "RAW=$NOT_EXPANDED raw=true"),
        vars.stream().map(v -> v.key() + "=" + v.value() + " raw=" + v.raw()).toList());
  }

  @Test
  void secretsUnderDefaultAreRejectedAsGitLabDoes() {
    CiFile file = CiFile.parse("inline", "default:\n  secrets:\n    X: {aws_secrets_manager: a}\njob:\n  script: [echo]\n");
    assertEquals(List.of("`default:` cannot hold `secrets:` (GitLab rejects the file): define them in each job, or in a template "
        + "the jobs extend."), file.problems());
  }

  @Test
  void unsafeTagsAndAliasBombsAreRefused() {
    DriverException tag = assertThrows(DriverException.class,
        () -> CiFile.parse("inline", "job: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1/\"]]]]\n"));
    assertTrue(tag.lines().get(0).startsWith("inline is not valid YAML"), tag.lines().get(0));
    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'k'; c++) {
      char p = (char) (c - 1);
      bomb.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *").append(p).append(", *")
          .append(p).append(", *").append(p).append(", *").append(p).append(", *").append(p).append(", *").append(p).append("]\n");
    }
    DriverException aliases = assertThrows(DriverException.class, () -> CiFile.parse("inline", bomb.toString()));
    assertEquals("inline expands to more than 1000000 values through its aliases: it is not a CI file GitLab would accept; reuse "
        + "less through anchors.", aliases.lines().get(0));
    DriverException loop = assertThrows(DriverException.class, () -> CiFile.parse("inline", "job: &loop\n  again: *loop\n"));
    assertTrue(loop.lines().get(0).startsWith("inline "), loop.lines().get(0));
  }
}
