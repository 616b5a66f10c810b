package dev.pacific.api.codec;

import dev.pacific.api.Status;

/**
 * One thing wrong with a body, at a field path ({@code spec.containers[0].ports[0].containerPort};
 * empty for the body as a whole). {@code reason} is a Kubernetes cause type.
 */
public record Problem(String field, String reason, String message) {

  static final String TYPE_INVALID = "FieldValueTypeInvalid";
  static final String INVALID = "FieldValueInvalid";

  /** As Kubernetes prints a field error: {@code field: message}, or the message alone for the whole body. */
  public String describe() {
    return field.isEmpty() ? message : field + ": " + message;
  }

  Status.Cause toCause() {
    return new Status.Cause(reason, message, field.isEmpty() ? null : field);
  }
}
