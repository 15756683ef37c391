package io.awssecretsdriver.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** JsonTree builds the tree ObjectMapper.readTree builds, and refuses what it refuses. */
class JsonTreeTest {
  /** The mapper prepare used before: exact decimals in the node factory, nothing after the document. */
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @Test
  void everyFixturePayloadGivesObjectMappersTree() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("test-fixtures/payloads"))) {
      for (Path file : files.toList()) {
        byte[] json = Files.readAllBytes(file);
        assertEquals(MAPPER.readTree(json), JsonTree.read(json), file.toString());
      }
    }
  }

  @Test
  void scalarsNumbersDuplicatesAndNestingAsObjectMapperReadsThem() throws Exception {
    for (String json : List.of("{\"a\":1,\"a\":2}", "[1, 2147483648, 123456789012345678901234567890, 1.10, -0.0, 1e400]",
        "{\"s\":\"\\u00e9\\n\",\"t\":true,\"f\":false,\"n\":null,\"o\":{},\"l\":[]}", "\"just text\"", "[[[[{\"deep\":[1]}]]]]")) {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      assertEquals(MAPPER.readTree(bytes), JsonTree.read(bytes), json);
    }
  }

  @Test
  void anEmptyDocumentIsNull() throws Exception {
    assertNull(JsonTree.read(new byte[0]));
    assertNull(JsonTree.read("  \n".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void brokenDocumentsAreRefused() {
    for (String json : List.of("{\"a\":1", "[1,2", "{\"a\":[1,", "{} {}", "[1] x", "{\"a\" 1}", "{\"a\":01}", "[1,]", "nul")) {
      assertThrows(JsonProcessingException.class, () -> JsonTree.read(json.getBytes(StandardCharsets.UTF_8)), json);
    }
  }

  @Test
  void nestingBeyondTheLimitIsRefused() {
    String deep = "[".repeat(201) + "]".repeat(201);
    assertThrows(JsonProcessingException.class, () -> JsonTree.read(deep.getBytes(StandardCharsets.UTF_8)));
  }
}
