package dev.pacific.controlplane.entities;

import dev.pacific.api.Status;
import java.util.List;

/**
 * The 403s of admission, in the API server's words ({@code NewForbidden}), beside {@link Refusals}:
 * a pod over quota, and new content in a namespace being deleted.
 */
final class AdmissionRefusals {

  private AdmissionRefusals() {}

  /** {@code NewForbidden}: {@code pods "x" is forbidden: <why>} (over quota: the ledger's reason). */
  static Status forbidden(String resource, String name, String why) {
    return Status.failure(403, "Forbidden", resource + " \"" + name + "\" is forbidden: " + why,
        new Status.Details(name, null, resource, List.of(), null));
  }

  /** Kubernetes' NamespaceLifecycle admission: nothing new in a terminating namespace. */
  static Status terminating(String resource, String name, String namespace) {
    Status.Details details = new Status.Details(name, null, resource,
        List.of(new Status.Cause("NamespaceTerminating", "namespace " + namespace + " is terminating", null)), null);
    return Status.failure(403, "Forbidden", resource + " \"" + name + "\" is forbidden: unable to create new content "
        + "in namespace " + namespace + " because it is being terminated", details);
  }
}
