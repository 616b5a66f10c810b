package dev.pacific.api.codec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The type fields every object carries. Kubernetes refuses a body whose {@code kind} or
 * {@code apiVersion} names another type than the endpoint serves; absent ones are taken from the
 * endpoint.
 */
final class Envelope {

  private Envelope() {}

  static void check(JsonNode doc, String kind, List<Problem> errors) {
    expect(doc, "kind", kind, errors);
    expect(doc, "apiVersion", Kinds.API_VERSION, errors);
  }

  private static void expect(JsonNode doc, String field, String expected, List<Problem> errors) {
    JsonNode value = doc.get(field);
    if (value != null && value.isTextual() && !value.textValue().isEmpty() && !value.textValue().equals(expected)) {
      errors.add(new Problem(field, Problem.INVALID,
          "Invalid value: \"" + value.textValue() + "\": must be \"" + expected + "\""));
    }
  }
}
