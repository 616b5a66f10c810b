package dev.pacific.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pacific.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The opaque {@code continue} of a paged list, as Kubernetes makes it: the revision the first page
 * was read at and the key the next page starts after, base64url-encoded JSON
 * ({@code {"v":1,"rv":123,"start":"registry/pods/ns/name"}}). Every page of one list reads at that
 * revision, so the pages together are one consistent snapshot; once it is compacted the token is
 * expired (410), as Kubernetes' is.
 */
record ContinueToken(long revision, String start) {

  private static final int VERSION = 1;
  /** A registry key is a few hundred bytes, its token under 1 KiB; a longer token is not one of ours. */
  private static final int MAX_CHARS = 1024;

  String encode() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("v", VERSION);
    body.put("rv", revision);
    body.put("start", start);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(body));
  }

  static Parsed<ContinueToken> decode(String text) {
    if (text.length() > MAX_CHARS) {
      return invalid("it is longer than any token this server makes");
    }
    JsonNode node;
    try {
      node = Json.mapper().readTree(Base64.getUrlDecoder().decode(text.replace('+', '-').replace('/', '_')
          .getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      return invalid("it is not base64-encoded JSON");
    }
    if (node == null || !node.isObject() || !node.path("v").isInt() || node.path("v").intValue() != VERSION) {
      return invalid("it is not a token this server makes (unknown version)");
    }
    JsonNode rv = node.path("rv");
    JsonNode start = node.path("start");
    if (!rv.isIntegralNumber() || !rv.canConvertToLong() || rv.longValue() <= 0 || !start.isTextual()) {
      return invalid("it lacks a positive revision or a start key");
    }
    return Parsed.ok(new ContinueToken(rv.longValue(), start.textValue()));
  }

  private static Parsed<ContinueToken> invalid(String why) {
    return Parsed.bad("continue", "the continue token is not valid: " + why
        + "; start the list again without it");
  }
}
