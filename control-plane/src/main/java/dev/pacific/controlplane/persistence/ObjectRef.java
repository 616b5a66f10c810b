package dev.pacific.controlplane.persistence;

import java.util.Objects;

/**
 * One object in the registry: its kind, namespace ({@code ""} for cluster-scoped kinds) and name.
 * It maps one to one onto an entity id ({@link #entityId()}) and a quorum key ({@link RegistryKeys}).
 */
public record ObjectRef(ResourceKind kind, String namespace, String name) {

  public ObjectRef {
    Objects.requireNonNull(kind, "kind");
    namespace = namespace == null ? "" : namespace;
    Objects.requireNonNull(name, "name");
    if (kind.namespaced() == namespace.isEmpty()) {
      throw new IllegalArgumentException(kind.resource() + (kind.namespaced()
          ? " need a namespace" : " are cluster-scoped") + ": " + namespace + "/" + name);
    }
  }

  public static ObjectRef cluster(ResourceKind kind, String name) {
    return new ObjectRef(kind, "", name);
  }

  /** The sharded entity id: {@code ns/name}, or {@code name} for cluster-scoped kinds. */
  public String entityId() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }

  /** Parses an {@link #entityId()} of {@code kind} back. */
  public static ObjectRef ofEntityId(ResourceKind kind, String entityId) {
    int slash = entityId.indexOf('/');
    return slash < 0 ? new ObjectRef(kind, "", entityId)
        : new ObjectRef(kind, entityId.substring(0, slash), entityId.substring(slash + 1));
  }

  @Override
  public String toString() {
    return kind.resource() + "/" + entityId();
  }
}
