package dev.pacific.controlplane.persistence;

import dev.pacific.api.Namespace;
import dev.pacific.api.Node;
import dev.pacific.api.Pod;
import dev.pacific.api.ResourceQuota;
import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds the registry stores, with their REST resource name (also the entity type name and the
 * second segment of the registry key) and whether they live in a namespace.
 *
 * <p>Resource quotas are part of their namespace's entity (the namespace is the authority for its
 * quota), so they have no registry prefix of their own: they are read from the namespace's record.
 */
public enum ResourceKind {
  NAMESPACES("namespaces", "Namespace", Namespace.class, false),
  NODES("nodes", "Node", Node.class, false),
  PODS("pods", "Pod", Pod.class, true),
  RESOURCEQUOTAS("resourcequotas", "ResourceQuota", ResourceQuota.class, true);

  private final String resource;
  private final String kind;
  private final Class<?> type;
  private final boolean namespaced;

  ResourceKind(String resource, String kind, Class<?> type, boolean namespaced) {
    this.resource = resource;
    this.kind = kind;
    this.type = type;
    this.namespaced = namespaced;
  }

  /** The plural REST name: {@code pods}, {@code namespaces}. */
  public String resource() {
    return resource;
  }

  /** The {@code kind} field of its objects: {@code Pod}. */
  public String kind() {
    return kind;
  }

  public Class<?> type() {
    return type;
  }

  public boolean namespaced() {
    return namespaced;
  }

  public static Optional<ResourceKind> ofResource(String resource) {
    return Arrays.stream(values()).filter(k -> k.resource.equals(resource)).findFirst();
  }

  public static Optional<ResourceKind> ofType(Class<?> type) {
    return Arrays.stream(values()).filter(k -> k.type.equals(type)).findFirst();
  }
}
