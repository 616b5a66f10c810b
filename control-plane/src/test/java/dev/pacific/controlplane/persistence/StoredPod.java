package dev.pacific.controlplane.persistence;

import dev.pacific.api.Pod;
import dev.pacific.controlplane.entities.EntityState;

/** An entity state for the store tests (bound to Jackson through {@link EntityState}). */
public record StoredPod(Pod pod, String writer) implements EntityState {
  @Override
  public Object object() {
    return pod;
  }
}
