package dev.pacific.api.validation;

import dev.pacific.api.Status;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Kubernetes' 422 {@code Invalid} answer ({@code errors.NewInvalid}): one cause per field error and
 * the message {@code Pod "x" is invalid: [spec.containers[0].name: Required value, …]}.
 */
public final class Invalid {

  private Invalid() {}

  /**
   * @param kind the kind as Kubernetes names it in the message ({@code Pod}, {@code Namespace})
   * @param name the object's name (may be empty for objects refused before naming)
   */
  public static Status status(String kind, String name, List<FieldError> errors) {
    List<Status.Cause> causes = errors.stream()
        .map(e -> new Status.Cause(e.type().reason(), e.body(), e.field()))
        .toList();
    return Status.failure(422, "Invalid", message(kind, name, errors),
        new Status.Details(name, null, kind, causes, null));
  }

  /**
   * Kubernetes' aggregate: identical messages once, a single one bare, several in brackets.
   */
  public static String message(String kind, String name, List<FieldError> errors) {
    Set<String> distinct = new LinkedHashSet<>();
    errors.forEach(e -> distinct.add(e.toString()));
    String all = distinct.size() == 1 ? distinct.iterator().next() : "[" + String.join(", ", distinct) + "]";
    return kind + " " + FieldError.quote(name == null ? "" : name) + " is invalid: " + all;
  }
}
