package dev.pacific.controlplane.entities;

import dev.pacific.api.ObjectMeta;
import dev.pacific.api.Status;
import dev.pacific.controlplane.persistence.StaleWrite;
import dev.pacific.controlplane.quorum.QuorumClient.QuorumUnavailable;
import java.util.List;

/**
 * The Statuses the namespace and host entities answer with, in the API server's own words
 * ({@code k8s.io/apimachinery/pkg/api/errors}), so that kubectl and client libraries recognise them.
 */
final class AdmissionRefusals {

  private AdmissionRefusals() {}

  static Status alreadyExists(String resource, String name) {
    return Status.failure(409, "AlreadyExists", resource + " \"" + name + "\" already exists", details(resource, name));
  }

  /** A write that carried a resourceVersion that is no longer current (optimistic concurrency). */
  static Status conflict(String resource, String name) {
    return conflict(resource, name, "the object has been modified; please apply your changes to the latest version "
        + "and try again");
  }

  /** {@code NewConflict}: "Operation cannot be fulfilled on namespaces "x": why". */
  static Status conflict(String resource, String name, String why) {
    return Status.failure(409, "Conflict", "Operation cannot be fulfilled on " + resource + " \"" + name + "\": "
        + why, details(resource, name));
  }

  /** {@code NewForbidden}: "pods "x" is forbidden: why" (quota, a terminating namespace). */
  static Status forbidden(String resource, String name, String why) {
    return Status.failure(403, "Forbidden", resource + " \"" + name + "\" is forbidden: " + why,
        details(resource, name));
  }

  /** New content in a namespace being deleted: Kubernetes' NamespaceLifecycle admission refusal. */
  static Status terminating(String resource, String name, String namespace) {
    Status.Details details = new Status.Details(name, null, resource,
        List.of(new Status.Cause("NamespaceTerminating", "namespace " + namespace + " is terminating", null)), null);
    return Status.failure(403, "Forbidden", resource + " \"" + name + "\" is forbidden: unable to create new content "
        + "in namespace " + namespace + " because it is being terminated", details);
  }

  /** A delete precondition (uid or resourceVersion) that does not match the object. */
  private static Status preconditionFailed(String resource, String name, String field, String expected, String actual) {
    return conflict(resource, name, "Precondition failed: " + field + " in precondition: " + expected + ", "
        + field + " in object meta: " + actual);
  }

  /** An update that carries a resourceVersion ({@code given}) other than the current one: 409, else null. */
  static Status stale(String given, String current, String resource, String name) {
    return given != null && !given.isEmpty() && !given.equals(current) ? conflict(resource, name) : null;
  }

  /** A delete's preconditions (uid, resourceVersion) checked against the object: 409, else null. */
  static Status preconditions(ObjectMeta meta, String currentResourceVersion, Mutations.DeleteOptions options,
                              String resource, String name) {
    if (options == null) {
      return null;
    }
    if (options.uid() != null && !options.uid().equals(meta.uid())) {
      return preconditionFailed(resource, name, "UID", options.uid(), meta.uid());
    }
    if (options.resourceVersion() != null && !options.resourceVersion().equals(currentResourceVersion)) {
      return preconditionFailed(resource, name, "ResourceVersion", options.resourceVersion(), currentResourceVersion);
    }
    return null;
  }

  /**
   * Why a write to the quorum failed, as the entity's caller should hear it: a stale copy of the
   * entity (another copy wrote first) is a 409 to retry after reading again; no quorum is a 503.
   */
  static Status writeFailed(String resource, String name, Throwable cause) {
    Throwable c = cause;
    while (c.getCause() != null && !(c instanceof StaleWrite) && !(c instanceof QuorumUnavailable)) {
      c = c.getCause();
    }
    if (c instanceof StaleWrite) {
      return conflict(resource, name);
    }
    if (c instanceof QuorumUnavailable) {
      return Status.failure(503, "ServiceUnavailable", "the registry is unavailable (no quorum): " + c.getMessage(),
          new Status.Details(name, null, resource, List.of(), 1));
    }
    return Status.failure(500, "InternalError", "writing " + resource + " \"" + name + "\" failed: " + c,
        details(resource, name));
  }

  private static Status.Details details(String resource, String name) {
    return new Status.Details(name, null, resource, List.of(), null);
  }
}
