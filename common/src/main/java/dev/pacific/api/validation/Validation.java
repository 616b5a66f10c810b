package dev.pacific.api.validation;

import dev.pacific.api.Namespace;
import dev.pacific.api.Node;
import dev.pacific.api.Pod;
import dev.pacific.api.ResourceQuota;
import java.util.List;

/**
 * One entry point for the API server: every problem of an object to create or of an update, by
 * kind. An empty list means valid; otherwise answer {@link Invalid#status}.
 */
public final class Validation {

  private Validation() {}

  /** Problems of a new object; an unknown kind is a programming error. */
  public static List<FieldError> create(Object object) {
    if (object instanceof Pod pod) {
      return PodValidation.validate(pod);
    } else if (object instanceof Namespace ns) {
      return ClusterValidation.namespace(ns);
    } else if (object instanceof Node node) {
      return ClusterValidation.node(node);
    } else if (object instanceof ResourceQuota quota) {
      return ClusterValidation.resourceQuota(quota);
    }
    throw new IllegalArgumentException("no validation for " + object.getClass().getSimpleName());
  }

  /** Problems of replacing {@code old} by {@code updated}; {@code who} matters for a pod's binding. */
  public static List<FieldError> update(Object updated, Object old, PodValidation.Updater who) {
    if (updated instanceof Pod pod && old instanceof Pod before) {
      return PodValidation.validateUpdate(pod, before, who);
    } else if (updated instanceof Namespace ns && old instanceof Namespace before) {
      return ClusterValidation.namespaceUpdate(ns, before);
    } else if (updated instanceof Node node && old instanceof Node before) {
      return ClusterValidation.nodeUpdate(node, before);
    } else if (updated instanceof ResourceQuota quota && old instanceof ResourceQuota before) {
      return ClusterValidation.resourceQuotaUpdate(quota, before);
    }
    throw new IllegalArgumentException("no update validation for " + updated.getClass().getSimpleName()
        + " replacing " + old.getClass().getSimpleName());
  }
}
