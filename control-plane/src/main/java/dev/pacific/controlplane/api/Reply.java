package dev.pacific.controlplane.api;

import dev.pacific.api.Status;
import java.util.List;

/**
 * What a request is answered with before it is encoded: a code and an API object or a
 * {@link Status}, and the warnings (unknown fields dropped under {@code fieldValidation=Warn}) that
 * go out as {@code Warning} headers.
 */
record Reply(int code, Object body, List<String> warnings) {

  Reply {
    warnings = List.copyOf(warnings);
  }

  static Reply of(int code, Object body) {
    return new Reply(code, body, List.of());
  }

  static Reply failure(Status status) {
    return new Reply(status.code(), status, List.of());
  }

  Reply withWarnings(List<String> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<String> all = new java.util.ArrayList<>(warnings);
    all.addAll(more);
    return new Reply(code, body, all);
  }
}
