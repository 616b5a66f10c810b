package dev.pacific.controlplane.entities;

import dev.pacific.api.Pod;
import dev.pacific.api.Status;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Quota admission of pods by their namespace (the namespace entity is the authority, see
 * ARCHITECTURE.md). Both calls are idempotent by pod uid, so a retry after a crash between the
 * reservation and the pod's write counts once, and a reconciler can recompute usage from the
 * registry to undo what a crash left reserved.
 */
public interface Admission {

  /**
   * Reserves {@code pod}'s usage ({@code pods}, {@code requests.*}, {@code limits.*}) in its
   * namespace under {@code metadata.uid}. Empty when admitted; otherwise the Status to answer
   * (403 exceeded quota, 404 no such namespace, 409 namespace terminating, 503).
   */
  CompletionStage<Optional<Status>> reserve(Pod pod);

  /** Releases what {@link #reserve} reserved for this pod; a pod never reserved is no error. */
  CompletionStage<Void> release(String namespace, String podUid);

  /** Until the namespace entity exists: every pod is admitted, nothing is counted. */
  Admission ADMIT_ALL = new Admission() {
    @Override
    public CompletionStage<Optional<Status>> reserve(Pod pod) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<Void> release(String namespace, String podUid) {
      return CompletableFuture.completedFuture(null);
    }
  };
}
