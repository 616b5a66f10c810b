package dev.pacific.controlplane.entities;

import dev.pacific.api.Status;
import dev.pacific.controlplane.persistence.RegistryRevisions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.state.javadsl.EffectBuilder;

/**
 * An entity's handle on its own registry key, for what Pekko's durable-state API does not carry:
 * the key's quorum mod revision (the objects' {@code metadata.resourceVersion}), and the failure of
 * a write, which the caller must hear at once (409 for a stale copy, 503 without a quorum) instead
 * of waiting out its ask while Pekko restarts the entity. See {@link RegistryRevisions}.
 */
final class RegistryKey {

  private final RegistryRevisions revisions;
  private final String persistenceId;

  RegistryKey(RegistryRevisions revisions, String persistenceId) {
    this.revisions = revisions;
    this.persistenceId = persistenceId;
  }

  /** The resourceVersion of what the store last read or wrote for this entity; null when there is none. */
  String resourceVersion() {
    var r = revisions.modRevision(persistenceId);
    return r.isPresent() && r.getAsLong() > 0 ? Long.toString(r.getAsLong()) : null;
  }

  /** Call before persisting: should the write fail, {@code replyTo} hears {@code failure}'s answer. */
  <R> void expectWrite(ActorRef<R> replyTo, Function<Status, R> failure, String resource, String name) {
    revisions.expectWrite(persistenceId, cause -> replyTo.tell(failure.apply(
        AdmissionRefusals.writeFailed(resource, name, cause))));
  }

  /** Drops what the store keeps for this entity once it stops. */
  void forget() {
    revisions.forget(persistenceId);
  }

  /**
   * Removes the state, and with it the registry key (watchers see DELETED). Pekko's Java DSL lacks
   * the delete effect; the Scala DSL's is the same effect object underneath, so it serves here.
   */
  @SuppressWarnings("unchecked")
  static <S> EffectBuilder<S> delete() {
    return (EffectBuilder<S>) (Object) org.apache.pekko.persistence.typed.state.scaladsl.Effect$.MODULE$.delete();
  }

  /** A Kubernetes timestamp ({@code metav1.Time}: RFC 3339, whole seconds). */
  static String now(Clock clock) {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
