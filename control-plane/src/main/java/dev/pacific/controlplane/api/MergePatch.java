package dev.pacific.controlplane.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pacific.api.Json;
import dev.pacific.api.Status;
import dev.pacific.api.codec.Limits;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON merge patch, RFC 7386 ({@code application/merge-patch+json}): an object patches member by
 * member, {@code null} removes a member, anything else (arrays included) replaces the target
 * whole. The patch document is read under the same limits as any request body.
 */
final class MergePatch {

  static final String MEDIA_TYPE = "application/merge-patch+json";

  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(Limits.STANDARD.maxDepth())
          .maxNameLength(Limits.STANDARD.maxNameLength())
          .maxNumberLength(Limits.STANDARD.maxNumberLength())
          .maxStringLength(Limits.STANDARD.maxBytes())
          .build())
      .build();

  private MergePatch() {}

  /** The patch document: a JSON object, or a 400 saying why it is not one. */
  static Parsed<ObjectNode> parse(byte[] body) {
    return parse(body, "a merge patch");
  }

  /** A JSON object body ({@code what} names it in the 400), read under the request limits. */
  static Parsed<ObjectNode> parse(byte[] body, String what) {
    JsonNode node;
    try (JsonParser parser = JSON.createParser(body)) {
      node = Json.mapper().readTree(parser);
      if (node != null && parser.nextToken() != null) {
        return bad("the body must hold exactly one JSON object");
      }
    } catch (Exception e) {
      return bad("malformed " + what + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
    if (node == null || !node.isObject()) {
      return bad(what + " must be a JSON object, not " + (node == null ? "nothing" : node.getNodeType()));
    }
    return Parsed.ok((ObjectNode) node);
  }

  /** RFC 7386's MergePatch(target, patch); {@code target} is not changed. */
  static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
        : Json.mapper().createObjectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      if (member.getValue().isNull()) {
        result.remove(member.getKey());
      } else {
        result.set(member.getKey(), apply(result.get(member.getKey()), member.getValue()));
      }
    }
    return result;
  }

  private static Parsed<ObjectNode> bad(String message) {
    return new Parsed.Bad<>(Status.failure(400, "BadRequest", message));
  }
}
