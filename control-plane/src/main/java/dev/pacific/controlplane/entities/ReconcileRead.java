package dev.pacific.controlplane.entities;

import dev.pacific.api.Pod;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * The in-memory side of an entity's reconcile ({@link Reservations#reconcile}): one registry read of
 * pods at a time, and which pods were released while it was in flight, since the read's view of
 * those is already stale (counting them again would leak them until the next reconcile).
 */
final class ReconcileRead<C> {

  private final ActorContext<C> ctx;
  private final Set<String> releasedSinceRead = new HashSet<>();
  private boolean reading;

  ReconcileRead(ActorContext<C> ctx) {
    this.ctx = ctx;
  }

  /** Starts {@code read} unless one is in flight; its answer comes back to the entity as {@code listed} or {@code failed}. */
  void start(CompletionStage<List<Pod>> read, Function<List<Pod>, C> listed, Function<Throwable, C> failed) {
    if (reading) {
      return;
    }
    reading = true;
    releasedSinceRead.clear();
    ctx.pipeToSelf(read, (pods, error) -> error != null ? failed.apply(error) : listed.apply(pods));
  }

  /** A pod's reservation was released (or never existed): a read in flight must not count it back. */
  void released(String podUid) {
    releasedSinceRead.add(podUid);
  }

  /** The read answered (or failed): the pods released while it was in flight. */
  Set<String> finish() {
    reading = false;
    return Set.copyOf(releasedSinceRead);
  }
}
