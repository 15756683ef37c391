package io.awssecretsdriver.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VariableExpanderTest {
  private static final Map<String, String> VARS = Map.of("A", "alpha", "B", "$A", "EMPTY", "", "X_1", "x1");

  private static String expand(String text) {
    return VariableExpander.expand(text, VARS::get);
  }

  @Test
  void expandsPlainAndBracedReferences() {
    assertEquals("alpha/alpha/x1", expand("$A/${A}/$X_1"));
  }

  @Test
  void unknownNamesBecomeEmpty() {
    assertEquals("[]", expand("[$NOPE]"));
  }

  @Test
  void expansionIsOnePassSoAReferenceToAReferenceStaysLiteral() {
    assertEquals("$A", expand("$B"));
  }

  @Test
  void doubleDollarIsALiteralDollar() {
    assertEquals("$A", expand("$$A"));
  }

  @Test
  void shellSpecialsExpandToNothingAsInTheRunner() {
    assertEquals("  ", expand("$1 $? $@")); // JobVariables.Get returns "" for * # @ ! ? 0-9
  }

  @Test
  void badSyntaxIsEatenAsTheRunnerDoes() {
    assertEquals("x", expand("${}x"));
    assertEquals("alpha}", expand("${A}}"));
    assertEquals("tail", expand("${tail"));
  }

  @Test
  void loneAndTrailingDollarsStay() {
    assertEquals("cost $ 5 $", expand("cost $ 5 $"));
  }

  @Test
  void nameStopsAtTheFirstNonNameCharacter() {
    assertEquals("alpha.bar", expand("$A.bar"));
  }

  @Test
  void jobVariablesExpandOnceAgainstRawValuesAndKeepRawOnesAsWritten() {
    JobVariables vars = JobVariables.of(List.of(
        new JobVariable("HOST", "db.$DOMAIN", false, false, false),
        new JobVariable("DOMAIN", "example.com", false, false, false),
        new JobVariable("RAW", "$DOMAIN", true, false, false),
        new JobVariable("DOMAIN", "example.org", false, false, false)));
    assertEquals("db.example.org", vars.value("HOST").orElseThrow(), "the last entry of a key wins");
    assertEquals("$DOMAIN", vars.value("RAW").orElseThrow());
    assertEquals("id-db.example.org", vars.expand("id-$HOST"));
  }

  @Test
  void runnerValuesOverrideThePayloadExpansion() {
    JobVariables vars = JobVariables.of(List.of(new JobVariable("A", "payload", false, false, false)))
        .overriddenBy(Map.of("A", "runner", "CI_BUILDS_DIR", "/builds"));
    assertEquals("runner:/builds", vars.expand("$A:$CI_BUILDS_DIR"));
  }
}
