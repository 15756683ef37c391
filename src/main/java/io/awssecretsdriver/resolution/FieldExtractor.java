package io.awssecretsdriver.resolution;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.Optional;

/**
 * Takes one top-level field out of a secret that is a flat JSON object, with GitLab's rules: string,
 * number and boolean values only. Numbers keep the text they have in the secret ({@code 1234567},
 * never {@code 1.234567e+06}). A repeated key: the last one wins, as Go's decoder does.
 */
public final class FieldExtractor {
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
      .build();

  private FieldExtractor() {}

  /** The field's text, or a message (without any value) saying why there is none. */
  public static Result extract(SecretValue value, String field, String secretId) {
    if (!(value instanceof SecretValue.Text text)) {
      return Result.failure("secret '" + secretId + "' is binary (SecretBinary), so it has no field '" + field + "': leave 'field' out to get the whole secret.");
    }
    Optional<String> found = Optional.empty();
    boolean unsupported = false;
    try (JsonParser p = JSON.createParser(text.text())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Result.failure("secret '" + secretId + "' is not a JSON object, so it has no field '" + field + "': store it as key/value JSON, or leave 'field' out.");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        boolean wanted = p.currentName().equals(field);
        JsonToken v = p.nextToken();
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
          p.skipChildren();
        }
        if (!wanted) {
          continue;
        }
        switch (v) {
          case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
            found = Optional.of(p.getText());
            unsupported = false;
          }
          case VALUE_TRUE, VALUE_FALSE -> {
            found = Optional.of(v == JsonToken.VALUE_TRUE ? "true" : "false");
            unsupported = false;
          }
          default -> {
            found = Optional.empty();
            unsupported = true;
          }
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        return Result.failure("secret '" + secretId + "' is not valid JSON, so field '" + field + "' cannot be read: fix the secret's JSON.");
      }
    } catch (IOException e) {
      // The parser's message quotes the input, which is the secret: say only where it broke.
      return Result.failure("secret '" + secretId + "' is not valid JSON (failed to parse JSON near character "
          + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null ? j.getLocation().getCharOffset() : -1)
          + "), so field '" + field + "' cannot be read: fix the secret's JSON.");
    }
    if (unsupported) {
      return Result.failure("key '" + field + "' in secret '" + secretId + "' is not a string, number or boolean: only flat JSON values can be read with 'field'.");
    }
    return found.map(Result::ok).orElseGet(() -> Result.failure(
        "key '" + field + "' not found in secret '" + secretId + "': check the field name (keys are case-sensitive)."));
  }

  /** A field's text or the reason there is none. */
  public record Result(Optional<String> text, String problem) {
    static Result ok(String text) {
      return new Result(Optional.of(text), "");
    }

    static Result failure(String problem) {
      return new Result(Optional.empty(), problem);
    }

    @Override
    public String toString() {
      return text.isPresent() ? "Result[ok]" : "Result[" + problem + "]";
    }
  }
}
