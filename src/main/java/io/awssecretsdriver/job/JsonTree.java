package io.awssecretsdriver.job;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reads a JSON document into Jackson's tree through the streaming parser and the node factory: the
 * tree {@code ObjectMapper.readTree} builds (later duplicate keys win, nothing after the
 * document), without ObjectMapper's class initialisation, which loads locale and
 * time-zone data and costs prepare about 40 ms on its critical path.
 */
final class JsonTree {
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).maxStringLength(32 * 1024 * 1024).build())
      .build();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonTree() {}

  /** The document's value, or null for an empty document. */
  static JsonNode read(byte[] json) throws IOException {
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() == null) {
        return null;
      }
      JsonNode root = value(p);
      if (p.nextToken() != null) {
        throw new JsonParseException(p, "content after the end of the document");
      }
      return root;
    }
  }

  /** The value at the parser's current token; nesting is bounded by the parser's constraints. */
  private static JsonNode value(JsonParser p) throws IOException {
    return switch (p.currentToken()) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          object.set(name, value(p));
        }
        yield object;
      }
      case START_ARRAY -> {
        var array = NODES.arrayNode();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          array.add(value(p));
        }
        yield array;
      }
      case VALUE_STRING -> NODES.textNode(p.getText());
      case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
        case INT -> NODES.numberNode(p.getIntValue());
        case LONG -> NODES.numberNode(p.getLongValue());
        default -> NODES.numberNode(p.getBigIntegerValue());
      };
      case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue()); // as readTree: a double unless asked otherwise
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      default -> throw new JsonParseException(p, "unexpected " + p.currentToken());
    };
  }
}
