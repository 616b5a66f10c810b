package dev.pacific.controlplane.entities;

import dev.pacific.api.Status;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.ResourceKind;
import dev.pacific.controlplane.persistence.StaleWrite;
import dev.pacific.controlplane.quorum.QuorumClient.QuorumUnavailable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * The Status an entity write answers when it does not happen, in the words Kubernetes' API server
 * uses ({@code k8s.io/apimachinery/pkg/api/errors}), so clients and kubectl react as they would there.
 */
public final class Refusals {

  /** Kubernetes' {@code OptimisticLockErrorMsg}. */
  public static final String MODIFIED =
      "the object has been modified; please apply your changes to the latest version and try again";

  private Refusals() {}

  public static Status notFound(ObjectRef ref) {
    return Status.notFound(ref.kind().resource(), ref.name());
  }

  /** {@code NewAlreadyExists}; a terminating object says so first, as Kubernetes does. */
  public static Status alreadyExists(ObjectRef ref, boolean terminating) {
    return Status.failure(409, "AlreadyExists", (terminating ? "object is being deleted: " : "")
        + ref.kind().resource() + " \"" + ref.name() + "\" already exists", details(ref));
  }

  /** {@code NewConflict}: {@code Operation cannot be fulfilled on pods "x": <why>}. */
  public static Status conflict(ObjectRef ref, String why) {
    return Status.failure(409, "Conflict", "Operation cannot be fulfilled on " + ref.kind().resource() + " \""
        + ref.name() + "\": " + why, details(ref));
  }

  /**
   * A DeleteOptions precondition ({@code UID}, {@code ResourceVersion}) that does not hold, in
   * Kubernetes' words; empty when none was given or it holds.
   */
  public static Optional<Status> precondition(ObjectRef ref, String field, String expected, String actual) {
    return expected == null || expected.equals(actual) ? Optional.empty() : Optional.of(conflict(ref,
        "Precondition failed: " + field + " in precondition: " + expected + ", " + field + " in object meta: " + actual));
  }

  /** A resourceVersion that is not the current one, or a write that lost to another copy of the entity. */
  public static Status modified(ObjectRef ref) {
    return conflict(ref, MODIFIED);
  }

  public static Status unavailable(String message) {
    return Status.failure(503, "ServiceUnavailable", message);
  }

  /** {@code NewTimeoutError}: the write may still happen; the client should read before retrying. */
  public static Status timeout(String what) {
    return Status.failure(504, "Timeout", "Timeout: " + what + " did not complete within the allotted time",
        new Status.Details(null, null, null, List.of(), 1));
  }

  /** A kind whose entity does not exist yet (its engineer adds it to {@link Entities}). */
  public static Status notServed(ResourceKind kind) {
    return Status.failure(405, "MethodNotAllowed", "writes to " + kind.resource() + " are not yet served");
  }

  public static Status internal(Throwable cause) {
    return Status.failure(500, "InternalError", "Internal error occurred: " + cause);
  }

  /** The Status for a failed store write or ask, whichever way it failed. */
  public static Status ofFailure(ObjectRef ref, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof StaleWrite) {
      return modified(ref);
    } else if (cause instanceof QuorumUnavailable) {
      return unavailable("the registry is unavailable: " + cause.getMessage());
    } else if (cause instanceof TimeoutException) {
      return timeout("the write to " + ref);
    }
    return internal(cause);
  }

  private static Status.Details details(ObjectRef ref) {
    return new Status.Details(ref.name(), null, ref.kind().resource(), List.of(), null);
  }
}
