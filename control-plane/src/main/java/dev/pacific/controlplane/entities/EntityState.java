package dev.pacific.controlplane.entities;

import dev.pacific.api.ResourceQuota;
import java.util.Map;

/**
 * The durable state of a registry entity, as stored under its key. Readers (gets, lists, watches)
 * decode it and show {@link #object()}, with {@code metadata.resourceVersion} set to the quorum
 * mod revision of the key: the stored object does not carry its own resourceVersion.
 */
public interface EntityState {

  /** The Kubernetes object this entity is (a Pod, Namespace or Node); {@code null} before creation. */
  Object object();

  /** The namespace's resource quotas by name (only a namespace has any). */
  default Map<String, ResourceQuota> quotas() {
    return Map.of();
  }
}
