package dev.pacific.api.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Reads one JSON or YAML document into a tree, noticing fields given twice (Kubernetes reports
 * {@code duplicate field "metadata.name"} under strict and warn validation; the last value wins,
 * as in Go's decoder). Numbers stay exact: floats become {@code BigDecimal}, never {@code double}.
 * Depth, name and number sizes are already bounded by the parser's StreamReadConstraints.
 *
 * <p>YAML anchors and aliases ({@code &a}, {@code *a}) of objects and lists are resolved here,
 * because Jackson's parser reports an alias only by name. An alias shares the anchored subtree instead of copying it, and
 * the nodes all aliases stand for are counted against a budget, so a "billion laughs" body fails
 * fast instead of making later walks over the tree exponential.
 */
final class TreeReader {

  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private final JsonParser parser;
  private final BiConsumer<String, String> onDuplicate;
  private final long aliasBudget;
  private final Map<String, JsonNode> anchors = new HashMap<>();
  private final Map<JsonNode, Long> sizes = new IdentityHashMap<>();
  private long aliased;

  /**
   * @param onDuplicate receives the path of an object and the field name given twice in it
   * @param aliasBudget how many nodes all YAML aliases together may stand for
   */
  TreeReader(JsonParser parser, BiConsumer<String, String> onDuplicate, long aliasBudget) {
    this.parser = parser;
    this.onDuplicate = onDuplicate;
    this.aliasBudget = aliasBudget;
  }

  /** The next document, or null at the end of the stream. */
  JsonNode next() throws IOException {
    JsonToken token = parser.nextToken();
    return token == null ? null : value(token, "");
  }

  private JsonNode value(JsonToken token, String path) throws IOException {
    if (parser instanceof YAMLParser yaml) {
      if (yaml.isCurrentAlias()) {
        return alias(yaml.getText());
      }
      String anchor = yaml.getCurrentAnchor();
      if (anchor != null) {
        JsonNode node = plain(token, path);
        anchors.put(anchor, node);
        return node;
      }
    }
    return plain(token, path);
  }

  private JsonNode alias(String name) throws IOException {
    JsonNode node = anchors.get(name);
    if (node == null) {
      // Jackson's parser reports anchors of objects and lists only; refuse rather than read "*name" as text.
      throw new StreamConstraintsException("YAML alias *" + name
          + " names no object or list anchor (aliases of scalars are not supported)", parser.currentLocation());
    }
    aliased += size(node);
    if (aliased > aliasBudget) {
      throw new StreamConstraintsException("YAML aliases expand to more than " + aliasBudget + " nodes",
          parser.currentLocation());
    }
    return node;
  }

  /** Nodes under {@code node}, counting shared subtrees each time they appear; memoized per node. */
  private long size(JsonNode node) {
    Long known = sizes.get(node);
    if (known != null) {
      return known;
    }
    long total = 1;
    for (JsonNode child : node) {
      total = Math.min(Long.MAX_VALUE / 2, total + size(child));
    }
    sizes.put(node, total);
    return total;
  }

  private JsonNode plain(JsonToken token, String path) throws IOException {
    return switch (token) {
      case START_OBJECT -> object(path);
      case START_ARRAY -> array(path);
      case VALUE_STRING -> NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT -> integer();
      case VALUE_NUMBER_FLOAT -> floating();
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      // YAML's !!binary and other tags Kubernetes' YAML-to-JSON step would not produce either.
      default -> NODES.textNode(parser.getText());
    };
  }

  private JsonNode integer() throws IOException {
    return switch (parser.getNumberType()) {
      case INT -> NODES.numberNode(parser.getIntValue());
      case LONG -> NODES.numberNode(parser.getLongValue());
      default -> NODES.numberNode(parser.getBigIntegerValue());
    };
  }

  private JsonNode floating() throws IOException {
    try {
      return NODES.numberNode(parser.getDecimalValue());
    } catch (NumberFormatException e) {
      // YAML's .nan and .inf have no exact decimal; keep their spelling so the type check names them.
      return NODES.textNode(parser.getText());
    }
  }

  private ObjectNode object(String path) throws IOException {
    ObjectNode node = NODES.objectNode();
    for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
      String name = parser.currentName();
      JsonNode child = value(parser.nextToken(), Paths.child(path, name));
      if (node.has(name)) {
        onDuplicate.accept(path, name);
      }
      node.set(name, child);
    }
    return node;
  }

  private ArrayNode array(String path) throws IOException {
    ArrayNode node = NODES.arrayNode();
    int i = 0;
    for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
      node.add(value(t, path + "[" + i++ + "]"));
    }
    return node;
  }
}
