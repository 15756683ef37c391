package io.awssecretsdriver.resolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FieldExtractorTest {
  private static FieldExtractor.Result extract(String json, String field) {
    return FieldExtractor.extract(new SecretValue.Text(json), field, "app/db");
  }

  @Test
  void stringsNumbersAndBooleansAsWritten() {
    String json = "{\"s\":\"p\\u00e4ss\\n\",\"i\":1234567,\"f\":1.50,\"e\":-2E+3,\"t\":true,\"n\":false}";
    assertEquals(Optional.of("päss\n"), extract(json, "s").text());
    assertEquals(Optional.of("1234567"), extract(json, "i").text());
    assertEquals(Optional.of("1.50"), extract(json, "f").text());
    assertEquals(Optional.of("-2E+3"), extract(json, "e").text());
    assertEquals(Optional.of("true"), extract(json, "t").text());
    assertEquals(Optional.of("false"), extract(json, "n").text());
  }

  @Test
  void lastDuplicateKeyWins() {
    assertEquals(Optional.of("2"), extract("{\"k\":\"1\",\"k\":\"2\"}", "k").text());
  }

  @Test
  void nestedAndNullValuesAreRefused() {
    assertTrue(extract("{\"k\":{\"a\":1}}", "k").problem().contains("is not a string, number or boolean"));
    assertTrue(extract("{\"k\":[1]}", "k").problem().contains("is not a string, number or boolean"));
    assertTrue(extract("{\"k\":null}", "k").problem().contains("is not a string, number or boolean"));
  }

  @Test
  void missingKeyIsNamed() {
    assertEquals("key 'pw' not found in secret 'app/db': check the field name (keys are case-sensitive).", extract("{\"PW\":\"x\"}", "pw").problem());
  }

  @Test
  void brokenJsonNeverQuotesTheSecret() {
    FieldExtractor.Result r = extract("{\"pw\":\"hunter2-secret", "pw");
    assertTrue(r.problem().startsWith("secret 'app/db' is not valid JSON"), r.problem());
    assertFalse(r.problem().contains("hunter2"));
    assertTrue(extract("\"just a string\"", "pw").problem().contains("is not a JSON object"));
    assertTrue(extract("{\"a\":1} trailing", "a").problem().contains("is not valid JSON"));
  }

  @Test
  void binarySecretHasNoFields() {
    assertTrue(FieldExtractor.extract(new SecretValue.Binary(new byte[] {1, 2}), "k", "bin").problem().contains("is binary"));
  }

  @Test
  void secretValuesNeverShowInToString() {
    assertFalse(new SecretValue.Text("hunter2").toString().contains("hunter2"));
    assertFalse(FieldExtractor.extract(new SecretValue.Text("{\"k\":\"hunter2\"}"), "k", "x").toString().contains("hunter2"));
  }
}
