package dev.pacific.api.validation;

/**
 * A path into an object as Kubernetes prints it in errors: {@code spec.containers[0].name},
 * {@code spec.containers[0].resources.requests[cpu]}.
 */
public record FieldPath(String path) {

  public static FieldPath of(String first, String... more) {
    FieldPath p = new FieldPath(first);
    for (String name : more) {
      p = p.child(name);
    }
    return p;
  }

  public FieldPath child(String name, String... more) {
    FieldPath p = new FieldPath(path.isEmpty() ? name : path + "." + name);
    for (String next : more) {
      p = p.child(next);
    }
    return p;
  }

  public FieldPath index(int i) {
    return new FieldPath(path + "[" + i + "]");
  }

  /** A map entry: {@code requests[cpu]}. */
  public FieldPath key(String key) {
    return new FieldPath(path + "[" + key + "]");
  }

  @Override
  public String toString() {
    return path;
  }
}
