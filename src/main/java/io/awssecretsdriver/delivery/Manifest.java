package io.awssecretsdriver.delivery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifest's JSON: {@code [{"variable":"DB","file":false,"guarded":true}, ...]}. Every run stage
 * reads it, so it uses Jackson's streaming API: an ObjectMapper would add about 40 ms to each of a
 * job's ten or so stages.
 */
final class Manifest {
  private static final JsonFactory JSON = new JsonFactory();

  private Manifest() {}

  static byte[] write(List<DeliveredSecret> secrets) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      for (DeliveredSecret s : secrets) {
        g.writeStartObject();
        g.writeStringField("variable", s.variable());
        g.writeBooleanField("file", s.file());
        g.writeBooleanField("guarded", s.guarded());
        g.writeEndObject();
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory does not fail
    }
    return out.toByteArray();
  }

  /** Reads what {@link #write} wrote; anything else is an IOException, as a tampered file is. */
  static List<DeliveredSecret> read(byte[] json) throws IOException {
    List<DeliveredSecret> secrets = new ArrayList<>();
    try (JsonParser p = JSON.createParser(json)) {
      expect(p.nextToken(), JsonToken.START_ARRAY);
      while (p.nextToken() == JsonToken.START_OBJECT) {
        String variable = null;
        boolean file = false;
        boolean guarded = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          switch (name) {
            case "variable" -> variable = value == JsonToken.VALUE_STRING ? p.getText() : null;
            case "file" -> file = value == JsonToken.VALUE_TRUE;
            case "guarded" -> guarded = value == JsonToken.VALUE_TRUE;
            default -> p.skipChildren();
          }
        }
        if (variable == null) {
          throw new IOException("an entry without a variable name");
        }
        secrets.add(new DeliveredSecret(variable, file, guarded));
      }
      expect(p.currentToken(), JsonToken.END_ARRAY);
    }
    return secrets;
  }

  private static void expect(JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException("expected " + expected + ", found " + actual);
    }
  }
}
