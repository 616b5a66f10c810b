package dev.pacific.controlplane.entities;

import dev.pacific.api.Status;
import dev.pacific.controlplane.persistence.ObjectRef;
import dev.pacific.controlplane.persistence.RegistryKeys;
import dev.pacific.controlplane.persistence.RegistryRevisions;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A registry entity's side of {@link RegistryRevisions}: its object's resourceVersion (the key's
 * quorum mod revision, which the stored object does not carry), Kubernetes' optimistic-concurrency
 * check, and how a caller hears of a write that failed.
 */
final class EntityRevision {

  private final ObjectRef ref;
  private final String persistenceId;
  private final RegistryRevisions revisions;

  EntityRevision(ActorSystem<?> system, ObjectRef ref) {
    this.ref = ref;
    this.persistenceId = RegistryKeys.persistenceId(ref);
    this.revisions = RegistryRevisions.get(system);
  }

  /** The object's resourceVersion now: the mod revision the store last read or wrote for it. */
  String resourceVersion() {
    return Long.toString(revisions.modRevision(persistenceId).orElse(0));
  }

  /** 409 Conflict when a client sent a resourceVersion that is not the current one; none sent is no check. */
  Optional<Status> check(String sent) {
    return sent == null || sent.isEmpty() || sent.equals(resourceVersion())
        ? Optional.empty() : Optional.of(Refusals.modified(ref));
  }

  /**
   * Call before persisting: a failed write makes Pekko restart the entity rather than run its reply,
   * so the store tells {@code answer} instead (409 for a stale copy, 503 without a quorum).
   */
  void onWriteFailure(Consumer<Status> answer) {
    revisions.expectWrite(persistenceId, failure -> answer.accept(Refusals.ofFailure(ref, failure)));
  }

  /** The entity stopped. */
  void forget() {
    revisions.forget(persistenceId);
  }
}
